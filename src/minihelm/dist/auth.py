"""A 401's WWW-Authenticate challenge + stored credentials -> an Authorization header; feeds oci.

Registries answer an unauthenticated request with a challenge (OCI
distribution spec, "token authentication"):

* ``Basic realm="..."``: send ``Authorization: Basic base64(user:password)``;
* ``Bearer realm="https://auth/token",service="registry",scope="repository:x:pull"``:
  GET the realm with ``service`` and ``scope`` as query parameters (and the
  basic credentials, if any), then send ``Authorization: Bearer <token>``
  where the token is the answer's ``token`` or ``access_token``.

Tokens are cached per (realm, service, scope) for one session, as oras-go's
auth cache does for helm.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from dataclasses import dataclass, field

from ..errors import RepoError
from .http import HttpClient, status_error

__all__ = ["Authorizer", "Challenge", "Credential", "parse_challenge"]


@dataclass(frozen=True)
class Credential:
    """A username and password, or an identity token (helm's `-u ""` login)."""

    username: str = ""
    password: str = ""

    def basic(self) -> str:
        return "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()


@dataclass(frozen=True)
class Challenge:
    scheme: str  # "basic" or "bearer" (lower case)
    params: dict[str, str]


def parse_challenge(header: str) -> Challenge:
    """Parse one WWW-Authenticate value.

    Grammar (RFC 7235, as registries send it)::

        challenge = scheme [ 1*SP param *( "," param ) ]
        param     = name "=" ( token | quoted-string )
        quoted    = DQUOTE *( qdtext | "\\" CHAR ) DQUOTE

    Unknown or empty schemes give ``Challenge("", {})``; a malformed
    parameter list keeps the parameters read before the fault.
    """
    text = header.strip()
    scheme, _, rest = text.partition(" ")
    params: dict[str, str] = {}
    i, n = 0, len(rest)
    while i < n:
        while i < n and rest[i] in " ,\t":
            i += 1
        start = i
        while i < n and rest[i] not in "= ,\t":
            i += 1
        name = rest[start:i].lower()
        if i >= n or rest[i] != "=" or not name:
            break
        i += 1
        if i < n and rest[i] == '"':
            i += 1
            value: list[str] = []
            while i < n and rest[i] != '"':
                if rest[i] == "\\" and i + 1 < n:
                    i += 1
                value.append(rest[i])
                i += 1
            i += 1  # closing quote
            params[name] = "".join(value)
        else:
            start = i
            while i < n and rest[i] not in ", \t":
                i += 1
            params[name] = rest[start:i]
    s = scheme.lower()
    return Challenge(s if s in ("basic", "bearer") else "", params)


@dataclass
class Authorizer:
    """Answers challenges for one registry host with one credential (or none)."""

    http: HttpClient
    host: str
    credential: Credential | None = None
    _tokens: dict[tuple[str, str, str], str] = field(default_factory=dict)
    _basic: bool = False

    def header_for(self, scope: str) -> str | None:
        """An Authorization header already known to work (cached basic or token), or None."""
        if self._basic and self.credential is not None:
            return self.credential.basic()
        for (_, _, sc), tok in self._tokens.items():
            if sc == scope:
                return f"Bearer {tok}"
        return None

    def answer(self, challenge_header: str, scope: str) -> str:
        """The Authorization header that answers a 401 carrying `challenge_header`."""
        ch = parse_challenge(challenge_header)
        if ch.scheme == "basic":
            # oras-go: both parts are needed; an anonymous client has none at all
            if self.credential is None or not (self.credential.username or
                                               self.credential.password):
                raise RepoError("basic credential not found")
            if not (self.credential.username and self.credential.password):
                raise RepoError("missing username or password for basic auth")
            self._basic = True
            return self.credential.basic()
        if ch.scheme == "bearer":
            return "Bearer " + self._token(ch, scope)
        raise RepoError(f"unsupported authentication challenge {challenge_header!r}")

    def _token(self, ch: Challenge, scope: str) -> str:
        realm = ch.params.get("realm", "")
        service = ch.params.get("service", "")
        scope = ch.params.get("scope", "") or scope
        key = (realm, service, scope)
        if key in self._tokens:
            return self._tokens[key]
        if not realm.startswith(("http://", "https://")):
            raise RepoError(f"the registry's token realm {realm!r} is not an http(s) URL")
        # url.Values.Encode: keys sorted, so scope comes before service
        query = {k: v for k, v in (("scope", scope), ("service", service)) if v}
        url = realm + ("&" if "?" in realm else "?") + urllib.parse.urlencode(query)
        headers = {}
        if self.credential is not None and self.credential.username:
            headers["Authorization"] = self.credential.basic()
        resp = self.http.request("GET", url, headers, limit=1 << 20)
        if resp.status != 200:
            raise status_error("GET", url, resp)
        try:
            doc = json.loads(resp.body)
        except ValueError:
            raise RepoError(f"the token service at {realm} answered with something that is "
                            "not JSON") from None
        token = doc.get("token") or doc.get("access_token") if isinstance(doc, dict) else None
        if not isinstance(token, str) or not token:
            raise RepoError(f"the token service at {realm} gave no token")
        self._tokens[key] = token
        return token
