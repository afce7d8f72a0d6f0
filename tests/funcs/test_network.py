"""Sprig network functions (funcs.network) against outputs recorded from helm v4.1.4.

urlParse cases are helm's `urlParse "<url>" | toJson` decoded back to a dict
(Go's JSON printed the invalid byte of "http://h/%e4" as \\ufffd; here the
dict holds the raw byte as a surrogate escape).  Error cases are helm's text
after "error calling urlParse: ".
"""

from __future__ import annotations

from typing import Any

import pytest

from minihelm.errors import GoFuncError
from minihelm.funcs import functions


def call(name: str, *args: Any) -> Any:
    return functions()[name].fn(*args)


PARSE_CASES: list[tuple[str, dict[str, str]]] = [
    ('http://user:p%40ss@Example.com:8080/a%20b/c?x=1&y=2#fr%20ag', {'fragment': 'fr ag', 'host': 'Example.com:8080', 'hostname': 'Example.com', 'opaque': '', 'path': '/a b/c', 'query': 'x=1&y=2', 'scheme': 'http', 'userinfo': 'user:p%40ss'}),
    ('mailto:joe@x.com', {'fragment': '', 'host': '', 'hostname': '', 'opaque': 'joe@x.com', 'path': '', 'query': '', 'scheme': 'mailto', 'userinfo': ''}),
    ('HTTP://h', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('http://[::1]:80/p', {'fragment': '', 'host': '[::1]:80', 'hostname': '::1', 'opaque': '', 'path': '/p', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('http://::1/', {'fragment': '', 'host': '::1', 'hostname': ':', 'opaque': '', 'path': '/', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('http://localhost:80:80/', {'fragment': '', 'host': 'localhost:80:80', 'hostname': 'localhost:80', 'opaque': '', 'path': '/', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('http://[fe80::1%25en0]/', {'fragment': '', 'host': '[fe80::1%en0]', 'hostname': 'fe80::1%en0', 'opaque': '', 'path': '/', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('/just/path?q', {'fragment': '', 'host': '', 'hostname': '', 'opaque': '', 'path': '/just/path', 'query': 'q', 'scheme': '', 'userinfo': ''}),
    ('x:y', {'fragment': '', 'host': '', 'hostname': '', 'opaque': 'y', 'path': '', 'query': '', 'scheme': 'x', 'userinfo': ''}),
    ('a:b/c', {'fragment': '', 'host': '', 'hostname': '', 'opaque': 'b/c', 'path': '', 'query': '', 'scheme': 'a', 'userinfo': ''}),
    ('http://h?', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('*', {'fragment': '', 'host': '', 'hostname': '', 'opaque': '', 'path': '*', 'query': '', 'scheme': '', 'userinfo': ''}),
    ('//h/p', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '/p', 'query': '', 'scheme': '', 'userinfo': ''}),
    ('http://h/p?a#b#c', {'fragment': 'b#c', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '/p', 'query': 'a', 'scheme': 'http', 'userinfo': ''}),
    ('http://x/a%2fb', {'fragment': '', 'host': 'x', 'hostname': 'x', 'opaque': '', 'path': '/a/b', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('http://%e4%bd%a0/', {'fragment': '', 'host': '你', 'hostname': '你', 'opaque': '', 'path': '/', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('http://h/ü', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '/ü', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('http://1.2.3.4:/', {'fragment': '', 'host': '1.2.3.4:', 'hostname': '1.2.3.4', 'opaque': '', 'path': '/', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('a/b:c', {'fragment': '', 'host': '', 'hostname': '', 'opaque': '', 'path': 'a/b:c', 'query': '', 'scheme': '', 'userinfo': ''}),
    ('a:b', {'fragment': '', 'host': '', 'hostname': '', 'opaque': 'b', 'path': '', 'query': '', 'scheme': 'a', 'userinfo': ''}),
    ('ab/c:d', {'fragment': '', 'host': '', 'hostname': '', 'opaque': '', 'path': 'ab/c:d', 'query': '', 'scheme': '', 'userinfo': ''}),
    ('http://u@h', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '', 'query': '', 'scheme': 'http', 'userinfo': 'u'}),
    ('http://u:@h', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '', 'query': '', 'scheme': 'http', 'userinfo': 'u:'}),
    ('http://:p@h', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '', 'query': '', 'scheme': 'http', 'userinfo': ':p'}),
    ('http://a@b@h/', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '/', 'query': '', 'scheme': 'http', 'userinfo': 'a%40b'}),
    ('http://h/a+b?c+d#e+f', {'fragment': 'e+f', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '/a+b', 'query': 'c+d', 'scheme': 'http', 'userinfo': ''}),
    ('http://[fe80::1%25%65n0]/', {'fragment': '', 'host': '[fe80::1%en0]', 'hostname': 'fe80::1%en0', 'opaque': '', 'path': '/', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('http://h#', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('http://h/?#', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '/', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('///a/b', {'fragment': '', 'host': '', 'hostname': '', 'opaque': '', 'path': '///a/b', 'query': '', 'scheme': '', 'userinfo': ''}),
    ('file:///etc/hosts', {'fragment': '', 'host': '', 'hostname': '', 'opaque': '', 'path': '/etc/hosts', 'query': '', 'scheme': 'file', 'userinfo': ''}),
    ('http://h/%e4', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '/\udce4', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('http://h%c3%bc/', {'fragment': '', 'host': 'hü', 'hostname': 'hü', 'opaque': '', 'path': '/', 'query': '', 'scheme': 'http', 'userinfo': ''}),
    ('tel:+1-23', {'fragment': '', 'host': '', 'hostname': '', 'opaque': '+1-23', 'path': '', 'query': '', 'scheme': 'tel', 'userinfo': ''}),
    ('http://h/a?b?c', {'fragment': '', 'host': 'h', 'hostname': 'h', 'opaque': '', 'path': '/a', 'query': 'b?c', 'scheme': 'http', 'userinfo': ''}),
    ('?q', {'fragment': '', 'host': '', 'hostname': '', 'opaque': '', 'path': '', 'query': 'q', 'scheme': '', 'userinfo': ''}),
    ('#f', {'fragment': 'f', 'host': '', 'hostname': '', 'opaque': '', 'path': '', 'query': '', 'scheme': '', 'userinfo': ''}),
    ('', {'fragment': '', 'host': '', 'hostname': '', 'opaque': '', 'path': '', 'query': '', 'scheme': '', 'userinfo': ''}),
]


@pytest.mark.parametrize("url,want", PARSE_CASES, ids=[c[0] for c in PARSE_CASES])
def test_url_parse(url: str, want: dict[str, str]) -> None:
    assert call("urlParse", url) == want


PARSE_ERRORS = [
    ('http://a b/',
     'unable to parse url: parse "http://a b/": invalid character " " in host name'),
    (':foo',
     'unable to parse url: parse ":foo": missing protocol scheme'),
    ('http://h/%zz',
     'unable to parse url: parse "http://h/%zz": invalid URL escape "%zz"'),
    ('http://h:port/',
     'unable to parse url: parse "http://h:port/": invalid port ":port" after host'),
    ('http://us er@h/',
     'unable to parse url: parse "http://us er@h/": net/url: invalid userinfo'),
    ('http://h/p#%zz',
     'unable to parse url: parse "http://h/p#%zz": invalid URL escape "%zz"'),
    ('http://[::1/',
     'unable to parse url: parse "http://[::1/": missing \']\' in host'),
    ('http://exa%41mple.com/',
     'unable to parse url: parse "http://exa%41mple.com/": invalid URL escape "%41"'),
    ('http://[1::2]x/',
     'unable to parse url: parse "http://[1::2]x/": invalid port "x" after host'),
    ('1a:b',
     'unable to parse url: parse "1a:b": first path segment in URL cannot contain colon'),
    ('http://[fe80::1%25%0a]/',
     'unable to parse url: parse "http://[fe80::1%25%0a]/": invalid URL escape "%0a"'),
    ('http://h%2f/',
     'unable to parse url: parse "http://h%2f/": invalid URL escape "%2f"'),
]


@pytest.mark.parametrize("url,msg", PARSE_ERRORS, ids=[c[0] for c in PARSE_ERRORS])
def test_url_parse_errors(url: str, msg: str) -> None:
    with pytest.raises(GoFuncError) as e:
        call("urlParse", url)
    assert str(e.value) == msg


# (helm template, dict, helm output)
JOIN_CASES = [
    (('urlJoin (dict "scheme" "http" "host" "h" "path" "a b" "query" "q" "userinfo" "u:p@x" '
      '"fragment" "f g")'),
     {"scheme": "http", "host": "h", "path": "a b", "query": "q", "userinfo": "u:p@x",
      "fragment": "f g"},
     "http://u:p%40x@h/a%20b?q#f%20g"),
    ('urlJoin (dict "scheme" "mailto" "opaque" "joe@x.com" "query" "s=1")',
     {"scheme": "mailto", "opaque": "joe@x.com", "query": "s=1"}, "mailto:joe@x.com?s=1"),
    ('urlJoin (dict "path" "a:b/c")', {"path": "a:b/c"}, "./a:b/c"),
    ('urlJoin (dict "host" "h" "path" "p")', {"host": "h", "path": "p"}, "//h/p"),
    ('urlJoin (dict "scheme" "http")', {"scheme": "http"}, "http:"),
    ('urlJoin (dict "scheme" "http" "path" "/x?y")', {"scheme": "http", "path": "/x?y"},
     "http:///x%3Fy"),
    ("urlJoin (dict \"host\" \"hü st\" \"fragment\" \"a!b(c)*d'e#\")",
     {"host": "hü st", "fragment": "a!b(c)*d'e#"}, "//h%C3%BC%20st#a!b(c)*d%27e%23"),
    ("urlJoin (dict)", {}, ""),
    ("urlJoin nil", None, ""),
    ('urlJoin (dict "userinfo" "u")', {"userinfo": "u"}, "//u@"),
    ('urlJoin (dict "userinfo" "u/p")', {"userinfo": "u/p"}, ""),
    ('urlJoin (dict "userinfo" "u:p:q")', {"userinfo": "u:p:q"}, "//u:p%3Aq@"),
    ('urlJoin (dict "path" "*")', {"path": "*"}, "*"),
]


@pytest.mark.parametrize("tpl,d,want", JOIN_CASES, ids=[c[0] for c in JOIN_CASES])
def test_url_join(tpl: str, d: Any, want: str) -> None:
    assert call("urlJoin", d) == want


def test_url_join_round_trips_url_parse() -> None:
    # helm: urlJoin (urlParse "<u>") printed <u> back unchanged
    u = "http://user:p%40ss@Example.com:8080/a%20b/c?x=1&y=2#fr%20ag"
    assert call("urlJoin", call("urlParse", u)) == u


JOIN_ERRORS = [
    ('urlJoin (dict "userinfo" "a b")', {"userinfo": "a b"},
     'unable to parse userinfo in dict: parse "proto://a b@host": net/url: invalid userinfo'),
    ('urlJoin (dict "host" 1)', {"host": 1},
     "unable to parse host key, must be of type string, but int found"),
    ('urlJoin (dict "host" nil)', {"host": None},
     "runtime error: invalid memory address or nil pointer dereference"),
]


@pytest.mark.parametrize("tpl,d,msg", JOIN_ERRORS, ids=[c[0] for c in JOIN_ERRORS])
def test_url_join_errors(tpl: str, d: Any, msg: str) -> None:
    with pytest.raises(GoFuncError) as e:
        call("urlJoin", d)
    assert str(e.value) == msg


def test_get_host_by_name_without_dns() -> None:
    # helm (no --enable-dns): getHostByName "localhost" -> ""
    assert call("getHostByName", "localhost") == ""


def test_get_host_by_name_with_dns() -> None:
    from minihelm.funcs.network import get_host_by_name_dns

    # helm --enable-dns: getHostByName "localhost" -> 127.0.0.1 on this machine
    assert get_host_by_name_dns("localhost") in ("127.0.0.1", "::1")
    # helm --enable-dns: an unknown host -> error calling getHostByName: invalid argument to Intn
    with pytest.raises(GoFuncError, match="^invalid argument to Intn$"):
        get_host_by_name_dns("nonexistent.invalid")
