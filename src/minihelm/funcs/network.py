"""Template arguments -> Sprig's network functions (urlParse, urlJoin, getHostByName) for the runtime.

urlParse/urlJoin follow Go's net/url (Parse and URL.String) as built into
helm 4.1.4: the same splitting, unescaping, validation and error texts.
getHostByName is helm's stub returning "" because DNS lookups are off unless
`--enable-dns`; `get_host_by_name_dns` is the real lookup for the engine to
bind in that case.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from minihelm.errors import GoFuncError
from minihelm.funcs import gofunc
from minihelm.golang.gotypes import go_kind

_UPPERHEX = "0123456789ABCDEF"
_HEX = set("0123456789abcdefABCDEF")

# encoding modes of net/url
_PATH, _SEGMENT, _HOST, _ZONE, _USERPASS, _QUERY, _FRAGMENT = range(1, 8)


class _URLError(Exception):
    """The inner error of a url.Parse failure (wrapped as `parse "<url>": <msg>`)."""


def _should_escape(c: str, mode: int) -> bool:
    """net/url shouldEscape for one byte (as a 1-char str)."""
    if c.isascii() and c.isalnum():
        return False
    if mode in (_HOST, _ZONE) and c in "!$&'()*+,;=:[]<>\"":
        return False
    if c in "-_.~":
        return False
    if c in "$&+,/:;=?@":
        if mode == _PATH:
            return c == "?"
        if mode == _SEGMENT:
            return c in "/;,?"
        if mode == _USERPASS:
            return c in "@/?:"
        if mode == _QUERY:
            return True
        if mode == _FRAGMENT:
            return False
    # A fragment may keep these sub-delims unescaped (Go issue 19917).
    return not (mode == _FRAGMENT and c in "!()*")


def _unescape(s: str, mode: int) -> str:
    """net/url unescape over Go bytes (s holds bytes as latin-1 characters)."""
    i = 0
    while i < len(s):
        c = s[i]
        if c == "%":
            if i + 2 >= len(s) or s[i + 1] not in _HEX or s[i + 2] not in _HEX:
                raise _URLError("invalid URL escape " + _go_quote(s[i:i + 3]))
            # In a host, %-escapes may only encode non-ASCII bytes (RFC 3986), except %25.
            if mode == _HOST and int(s[i + 1], 16) < 8 and s[i:i + 3] != "%25":
                raise _URLError("invalid URL escape " + _go_quote(s[i:i + 3]))
            if mode == _ZONE:
                v = chr(int(s[i + 1:i + 3], 16))
                if s[i:i + 3] != "%25" and v != " " and _should_escape(v, _HOST):
                    raise _URLError("invalid URL escape " + _go_quote(s[i:i + 3]))
            i += 3
            continue
        if mode in (_HOST, _ZONE) and ord(c) < 0x80 and _should_escape(c, mode):
            raise _URLError("invalid character " + _go_quote(c) + " in host name")
        i += 1
    out: list[str] = []
    i = 0
    while i < len(s):
        if s[i] == "%":
            out.append(chr(int(s[i + 1:i + 3], 16)))
            i += 3
            continue
        out.append(" " if s[i] == "+" and mode == _QUERY else s[i])
        i += 1
    return "".join(out)


def _escape(s: str, mode: int) -> str:
    out = []
    for c in s:
        if c == " " and mode == _QUERY:
            out.append("+")
        elif _should_escape(c, mode):
            b = ord(c)
            out.append("%" + _UPPERHEX[b >> 4] + _UPPERHEX[b & 15])
        else:
            out.append(c)
    return "".join(out)


def _go_quote(s: str) -> str:
    """strconv.Quote of a Go byte string (latin-1 chars): the error texts quote with it."""
    # deferred: only _go_quote() needs it: 1 module this one does not otherwise load
    from minihelm.golang.gostrconv import quote

    return quote(_from_latin1(s))


def _to_latin1(s: str) -> str:
    """Our str (Go bytes, surrogate-escaped) -> one latin-1 char per Go byte."""
    return s.encode("utf-8", "surrogateescape").decode("latin-1")


def _from_latin1(s: str) -> str:
    return s.encode("latin-1").decode("utf-8", "surrogateescape")


# --- url.Parse ------------------------------------------------------------------------


@dataclass
class _URL:
    scheme: str = ""
    opaque: str = ""
    user: tuple[str, str | None] | None = None  # (username, password or None)
    host: str = ""
    path: str = ""
    raw_query: str = ""
    fragment: str = ""
    force_query: bool = False


def _get_scheme(raw: str) -> tuple[str, str]:
    for i, c in enumerate(raw):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and (c.isdigit() or c in "+-."):
            if i == 0:
                return "", raw
            continue
        if c == ":":
            if i == 0:
                raise _URLError("missing protocol scheme")
            return raw[:i], raw[i + 1:]
        return "", raw
    return "", raw


def _valid_port(port: str) -> bool:
    """validOptionalPort: "" or ":" followed by digits only."""
    if port == "":
        return True
    return port[0] == ":" and all("0" <= c <= "9" for c in port[1:])


def _parse_host(host: str) -> str:
    if host.startswith("["):
        i = host.rfind("]")
        if i < 0:
            raise _URLError("missing ']' in host")
        colon_port = host[i + 1:]
        if not _valid_port(colon_port):
            raise _URLError(f"invalid port {_go_quote(colon_port)} after host")
        zone = host[:i].find("%25")
        if zone >= 0:
            return (
                _unescape(host[:zone], _HOST)
                + _unescape(host[zone:i], _ZONE)
                + _unescape(host[i:], _HOST)
            )
    else:
        i = host.rfind(":")
        if i != -1 and not _valid_port(host[i:]):
            raise _URLError(f"invalid port {_go_quote(host[i:])} after host")
    return _unescape(host, _HOST)


_USERINFO_OK = set("-._:~!$&'()*+,;=%@")


def _parse_authority(authority: str) -> tuple[tuple[str, str | None] | None, str]:
    i = authority.rfind("@")
    host = _parse_host(authority[i + 1:] if i >= 0 else authority)
    if i < 0:
        return None, host
    userinfo = authority[:i]
    # validUserinfo ranges over runes: any non-ASCII byte makes it invalid too.
    if any(not (c.isascii() and c.isalnum()) and c not in _USERINFO_OK for c in userinfo):
        raise _URLError("net/url: invalid userinfo")
    if ":" not in userinfo:
        return (_unescape(userinfo, _USERPASS), None), host
    name, password = userinfo.split(":", 1)
    return (_unescape(name, _USERPASS), _unescape(password, _USERPASS)), host


def _parse(raw: str) -> _URL:
    """net/url's parse(rawURL, viaRequest=false) of the part before '#'."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise _URLError("net/url: invalid control character in URL")
    u = _URL()
    if raw == "*":
        u.path = "*"
        return u
    scheme, rest = _get_scheme(raw)
    u.scheme = scheme.lower()
    if rest.endswith("?") and rest.count("?") == 1:
        u.force_query = True
        rest = rest[:-1]
    else:
        rest, _, u.raw_query = rest.partition("?")
    if not rest.startswith("/"):
        if u.scheme:
            u.opaque = rest  # rootless paths are opaque
            return u
        if ":" in rest.partition("/")[0]:
            raise _URLError("first path segment in URL cannot contain colon")
    if (u.scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, slash, tail = rest[2:].partition("/")
        rest = slash + tail
        u.user, u.host = _parse_authority(authority)
    u.path = _unescape(rest, _PATH)
    return u


def url_parse(raw: str) -> _URL:
    """url.Parse; errors are GoFuncError-ready text `parse "<url>": <reason>`."""
    b = _to_latin1(raw)
    main, hash_, frag = b.partition("#")
    try:
        u = _parse(main)
    except _URLError as e:
        raise _URLError(f"parse {_go_quote(main)}: {e}") from None
    if hash_ and frag:
        try:
            u.fragment = _unescape(frag, _FRAGMENT)
        except _URLError as e:
            raise _URLError(f"parse {_go_quote(b)}: {e}") from None
    return u


def _userinfo_string(user: tuple[str, str | None]) -> str:
    s = _escape(user[0], _USERPASS)
    if user[1] is not None:
        s += ":" + _escape(user[1], _USERPASS)
    return s


def _hostname(host: str) -> str:
    """URL.Hostname: drop a valid :port, then [brackets]."""
    colon = host.rfind(":")
    if colon != -1 and _valid_port(host[colon:]):
        host = host[:colon]
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host


@gofunc("urlParse", "string")
def url_parse_func(v: str) -> dict[str, Any]:
    """urlParse: a dict of scheme, host, hostname, path, query, opaque, fragment, userinfo."""
    try:
        u = url_parse(v)
    except _URLError as e:
        raise GoFuncError(f"unable to parse url: {e}") from None
    parts = {
        "scheme": u.scheme,
        "host": u.host,
        "hostname": _hostname(u.host),
        "path": u.path,
        "query": u.raw_query,
        "opaque": u.opaque,
        "fragment": u.fragment,
        "userinfo": _userinfo_string(u.user) if u.user else "",
    }
    return {k: _from_latin1(x) for k, x in parts.items()}


# --- url.URL.String -----------------------------------------------------------------


def _url_string(u: _URL) -> str:
    out = ""
    if u.scheme:
        out += u.scheme + ":"
    if u.opaque:
        out += u.opaque
    else:
        if u.scheme or u.host or u.user is not None:
            if u.host or u.path or u.user is not None:
                out += "//"
            if u.user is not None:
                out += _userinfo_string(u.user) + "@"
            if u.host:
                out += _escape(u.host, _HOST)
        path = "*" if u.path == "*" else _escape(u.path, _PATH)
        if path and path[0] != "/" and u.host:
            out += "/"
        if out == "" and ":" in path.partition("/")[0]:
            out += "./"  # keep "a:b" from reading as a scheme (RFC 3986 §4.2)
        out += path
    if u.force_query or u.raw_query:
        out += "?" + u.raw_query
    if u.fragment:
        out += "#" + _escape(u.fragment, _FRAGMENT)
    return out


def _dict_string(d: dict[str, Any], key: str) -> str:
    """Sprig's dictGetOrEmpty: a missing key is "", a non-string value panics."""
    if key not in d:
        return ""
    v = d[key]
    if v is None:
        # reflect.TypeOf(nil) is a nil Type: calling Kind on it dereferences nil.
        raise GoFuncError("runtime error: invalid memory address or nil pointer dereference")
    if not isinstance(v, str):
        raise GoFuncError(
            f"unable to parse {key} key, must be of type string, but {go_kind(v)} found"
        )
    return _to_latin1(v)


@gofunc("urlJoin", "map[string]interface {}")
def url_join(d: Any) -> str:
    """urlJoin: a url.URL built from urlParse's keys, printed by URL.String."""
    d = d or {}
    u = _URL(
        scheme=_dict_string(d, "scheme"),
        host=_dict_string(d, "host"),
        path=_dict_string(d, "path"),
        raw_query=_dict_string(d, "query"),
        opaque=_dict_string(d, "opaque"),
        fragment=_dict_string(d, "fragment"),
    )
    userinfo = _dict_string(d, "userinfo")
    if userinfo:
        try:
            u.user = url_parse(_from_latin1(f"proto://{userinfo}@host")).user
        except _URLError as e:
            raise GoFuncError(f"unable to parse userinfo in dict: {e}") from None
    return _from_latin1(_url_string(u))


# --- getHostByName --------------------------------------------------------------------


@gofunc("getHostByName", "string",
         note="always \"\": helm's stub without --enable-dns; minihelm has no --enable-dns")
def get_host_by_name(name: str) -> str:
    """helm's replacement while DNS lookups are disabled (the default): always ""."""
    return ""


def get_host_by_name_dns(name: str) -> str:
    """Sprig's real getHostByName (helm --enable-dns): a random address of the host.

    Go ignores the lookup error and then calls rand.Intn(0), whose panic is
    what helm prints for an unknown host.
    """
    import socket  # only here: importing it costs every render 2 ms

    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        infos = []
    addrs = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addrs:
        raise GoFuncError("invalid argument to Intn")
    return random.choice(addrs)
