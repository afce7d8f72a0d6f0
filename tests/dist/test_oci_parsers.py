"""The registry parsers: fixed cases from oras-go/helm, and any input -> result or MinihelmError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from minihelm.dist.auth import parse_challenge
from minihelm.dist.credentials import CredentialStore
from minihelm.dist.http import dial_addr, parse_link_next
from minihelm.dist.oci import Reference, check_digest, helm_reference, parse_reference
from minihelm.errors import MinihelmError

SHA = "sha256:" + "a" * 64


@pytest.mark.parametrize("raw, want", [
    ("h:5000/a/b", Reference("h:5000", "a/b")),
    ("h/a:1.0", Reference("h", "a", "1.0")),
    (f"h/a@{SHA}", Reference("h", "a", "", SHA)),
    (f"h/a:1.0@{SHA}", Reference("h", "a", "", SHA)),  # oras-go drops the tag
    ("h/a--b__c.d", Reference("h", "a--b__c.d")),
])
def test_parse_reference(raw, want):
    assert parse_reference(raw) == want


@pytest.mark.parametrize("raw, message", [
    ("h", "invalid reference: missing registry or repository"),
    ("h/A", 'invalid reference: invalid repository "A"'),
    ("h/a:1.0/b:2", 'invalid reference: invalid tag "1.0/b:2"'),
    ("h/a@sha256:12",
     'invalid reference: invalid digest "sha256:12": invalid checksum digest length'),
    ("h/a@md5:12", 'invalid reference: invalid digest "md5:12": unsupported digest algorithm'),
    ("h/x/", 'invalid reference: invalid repository "x/"'),
    ("a b/c", 'invalid reference: invalid registry "a b"'),
    ("[/c", 'invalid reference: invalid registry "["'),  # url.Parse fails on the host
])
def test_parse_reference_errors(raw, message):
    with pytest.raises(MinihelmError) as e:
        parse_reference(raw)
    assert e.value.message == message


@pytest.mark.parametrize("raw, want", [
    ("oci://h:1/c/demo:1.2.3+b", Reference("h:1", "c/demo", "1.2.3_b")),
    (f"oci://h/c/demo:1.0@{SHA}", Reference("h", "c/demo", "1.0", SHA)),
    ("oci://h:5000/c/demo", Reference("h:5000", "c/demo")),
])
def test_helm_reference_keeps_tag_and_digest(raw, want):
    assert helm_reference(raw) == want


# helm v4.1.4: `helm pull 'oci://[/x'` and `helm push x.tgz 'oci://[::1/x'`
@pytest.mark.parametrize("raw", ["oci://[/x", "oci://[::1/x", "[::1/x"])
def test_helm_reference_unbalanced_bracket_is_helms_url_error(raw):
    with pytest.raises(MinihelmError) as e:
        helm_reference(raw)
    assert e.value.message == f"invalid chart URL format: {raw}"


# Go's dialer joins host and port with net.JoinHostPort (helm v4.1.4:
# `dial tcp [::1]:5: connect: connection refused`)
@pytest.mark.parametrize("url, addr", [
    ("http://[::1]:5/v2/", "[::1]:5"), ("https://h/x", "h:443"), ("http://h/x", "h:80"),
    ("http://127.0.0.1:1/", "127.0.0.1:1"),
])
def test_dial_addr(url, addr):
    assert dial_addr(url) == addr


def test_check_digest():
    assert check_digest(SHA) == ""
    assert check_digest("sha256:" + "A" * 64) == "invalid checksum digest format"
    assert check_digest("nocolon") == "invalid checksum digest format"


def test_parse_challenge():
    ch = parse_challenge('Bearer realm="http://a/token",service="reg",scope="repository:x:pull"')
    assert ch.scheme == "bearer"
    assert ch.params == {"realm": "http://a/token", "service": "reg",
                         "scope": "repository:x:pull"}
    assert parse_challenge('Basic realm="basic-realm"').scheme == "basic"
    assert parse_challenge("Negotiate abc").scheme == ""
    assert parse_challenge('Bearer realm="a\\"b"').params["realm"] == 'a"b'


def test_parse_link_next():
    assert parse_link_next('</v2/x/tags/list?last=b&n=2>; rel="next"') == \
        "/v2/x/tags/list?last=b&n=2"
    assert parse_link_next('<a>; rel="prev", <b>; rel=next') == "b"
    assert parse_link_next("") is None
    assert parse_link_next("garbage") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
@example("[/")  # CI found it: urlsplit raised ValueError for the unbalanced bracket
def test_references_never_crash(raw):
    for parse in (parse_reference, helm_reference):
        try:
            ref = parse(raw)
        except MinihelmError:
            continue
        assert isinstance(ref, Reference)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_challenges_and_links_never_crash(text):
    ch = parse_challenge(text)
    assert ch.scheme in ("", "basic", "bearer")
    assert parse_link_next(text) is None or isinstance(parse_link_next(text), str)


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                     lambda kids: st.lists(kids, max_size=3) |
                     st.dictionaries(st.text(max_size=8), kids, max_size=3), max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=60), _json.map(lambda v: json.dumps(v).encode()),
                 st.dictionaries(st.sampled_from(["h", "other"]),
                                 st.dictionaries(st.sampled_from(["auth", "username",
                                                                  "password", "identitytoken"]),
                                                 st.text(max_size=12) | st.integers(),
                                                 max_size=3), max_size=2)
                 .map(lambda a: json.dumps({"auths": a}).encode())))
def test_credential_files_never_crash(tmp_path_factory, data):
    path = Path(tmp_path_factory.mktemp("cfg")) / "config.json"
    path.write_bytes(data)
    try:
        CredentialStore(path, None).get("h")
    except MinihelmError:
        pass


class _Tty:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [True, False])
def test_progress_only_on_a_terminal(monkeypatch, tty):
    import sys

    from minihelm.dist.http import Progress

    err = _Tty(tty)
    monkeypatch.setattr(sys, "stderr", err)
    p = Progress("charts/demo@sha256:abc")
    for _ in range(3):
        p.add(1 << 20)
    p.done()
    assert ("Downloading charts/demo@sha256:abc: 1024 KiB" in err.text) == tty
    assert err.text.endswith("\r\033[K") == tty
