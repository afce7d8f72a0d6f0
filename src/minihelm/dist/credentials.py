"""helm's registry config.json and docker's config.json -> credentials per registry host; feeds auth and the registry commands.

Both files use docker's format, which oras-go (helm's registry library)
reads and writes::

    {
    	"auths": {
    		"<host[:port]>": {"auth": "<base64 of user:password>"}
    	}
    }

helm keeps its own file at $HELM_REGISTRY_CONFIG (default
$HELM_CONFIG_HOME/registry/config.json) and falls back to docker's
($DOCKER_CONFIG/config.json, default ~/.docker/config.json) for reading.
Writes go to helm's file only, through a temp file and a rename, mode 0600,
indented with tabs as Go's json.MarshalIndent does; other keys in the file
are kept.  Docker's credential helpers (`credsStore`) are not run.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._core.fsutil import atomic_write
from ..errors import RepoError
from ..golang.jsonio import dumps_go
from .auth import Credential

__all__ = ["CredentialStore", "helm_config_home", "registry_config_path", "server_key"]

_DOCKER_HUB = "https://index.docker.io/v1/"


def helm_config_home() -> Path:
    """helmpath.ConfigPath's root: $HELM_CONFIG_HOME, else $XDG_CONFIG_HOME/helm, else ~/.config/helm."""
    if os.environ.get("HELM_CONFIG_HOME"):
        return Path(os.environ["HELM_CONFIG_HOME"])
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "helm"


def registry_config_path() -> Path:
    return Path(os.environ.get("HELM_REGISTRY_CONFIG") or helm_config_home() / "registry" /
                "config.json")


def docker_config_path() -> Path:
    base = os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")
    return Path(base) / "config.json"


def server_key(host: str) -> str:
    """oras-go's ServerAddressFromRegistry/FromHostname: docker.io is stored under its legacy key."""
    return _DOCKER_HUB if host in ("docker.io", "index.docker.io", "registry-1.docker.io") else host


def _hostname(key: str) -> str:
    """A stored key reduced to host[:port] (older docker files store URLs)."""
    for prefix in ("http://", "https://"):
        key = key.removeprefix(prefix)
    return key.split("/", 1)[0]


def _read(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise RepoError(f"failed to read {path}: {(e.strerror or str(e)).lower()}") from None
    if not data.strip():
        return {}
    try:
        doc = json.loads(data)
    except ValueError as e:
        raise RepoError(f"failed to decode config file at {path}: invalid JSON: {e}") from None
    if not isinstance(doc, dict):
        raise RepoError(f"failed to decode config file at {path}: not a JSON object")
    return doc


def _decode(entry: Any, path: Path, key: str) -> Credential | None:
    if not isinstance(entry, dict):
        return None
    if isinstance(entry.get("identitytoken"), str) and entry["identitytoken"]:
        return Credential("", entry["identitytoken"])
    auth = entry.get("auth")
    if isinstance(auth, str) and auth:
        try:
            text = base64.b64decode(auth, validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):  # binascii.Error, non-ASCII text
            raise RepoError(f"{path}: the credentials of {key} are not valid base64") from None
        user, sep, password = text.partition(":")
        if not sep:
            raise RepoError(f"{path}: the credentials of {key} are not user:password")
        return Credential(user, password)
    name, secret = entry.get("username"), entry.get("password")
    if isinstance(name, str) and isinstance(secret, str) and (name or secret):
        return Credential(name, secret)
    return None


def _lookup(doc: dict[str, Any], host: str, path: Path) -> Credential | None:
    auths = doc.get("auths")
    if not isinstance(auths, dict):
        return None
    key = server_key(host)
    if key in auths:
        return _decode(auths[key], path, key)
    for k, v in auths.items():
        if isinstance(k, str) and _hostname(k) == host:
            return _decode(v, path, k)
    return None


@dataclass
class CredentialStore:
    """helm's file first, docker's as a read-only fallback (oras-go's NewStoreWithFallbacks)."""

    path: Path
    docker_path: Path | None = None

    @classmethod
    def default(cls, path: str | None = None) -> CredentialStore:
        return cls(Path(path) if path else registry_config_path(), docker_config_path())

    def get(self, host: str) -> Credential | None:
        found = _lookup(_read(self.path), host, self.path)
        if found is None and self.docker_path is not None:
            try:
                found = _lookup(_read(self.docker_path), host, self.docker_path)
            except RepoError:
                found = None  # a broken docker file must not break helm's own
        return found

    def put(self, host: str, cred: Credential) -> None:
        doc = _read(self.path)
        auths = doc.get("auths") if isinstance(doc.get("auths"), dict) else {}
        assert isinstance(auths, dict)
        raw = base64.b64encode(f"{cred.username}:{cred.password}".encode()).decode()
        auths[server_key(host)] = {"auth": raw}
        doc["auths"] = auths
        self._write(doc)

    def remove(self, host: str) -> None:
        """Drop host's entry from helm's file; an absent entry is no error (as oras-go)."""
        doc = _read(self.path)
        auths = doc.get("auths")
        if not isinstance(auths, dict) or server_key(host) not in auths:
            return
        del auths[server_key(host)]
        self._write(doc)

    def _write(self, doc: dict[str, Any]) -> None:
        try:
            # oras-go's file store creates the folder 0700: it holds secrets
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            atomic_write(self.path, dumps_go(doc, indent="\t").encode(), mode=0o600)
        except OSError as e:
            raise RepoError(f"failed to save credentials to {self.path}: "
                            f"{(e.strerror or str(e)).lower()}") from None
