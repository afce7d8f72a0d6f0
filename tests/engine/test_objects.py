"""Built-in objects: .Capabilities.KubeVersion from --kube-version, as helm 4.1.4 prints it."""

from __future__ import annotations

import pytest

from minihelm.engine.objects import parse_kube_version
from minihelm.errors import UsageError

# (flag, String() i.e. {{ .Capabilities.KubeVersion }}, .Version, .Major, .Minor), from helm
HELM_KUBE_VERSIONS = [
    ("1.28", "v1.28", "v1.28", "1", "28"),
    ("1.28abc", "v1.28", "v1.28abc", "1", "28"),
    (" 1.28.1 ", "v1.28.1", "v 1.28.1 ", "1", "28"),
    ("1.02", "v1.2", "v1.02", "1", "2"),
    ("1.28+x", "v1.28", "v1.28+x", "1", "28"),
    ("1.28.3.4", "v1.28.3.4", "v1.28.3.4", "1", "28"),
    ("1.28.3-gke.100", "v1.28.3", "v1.28.3-gke.100", "1", "28"),
]


@pytest.mark.parametrize("flag,string,version,major,minor", HELM_KUBE_VERSIONS)
def test_parse_kube_version(flag: str, string: str, version: str, major: str, minor: str) -> None:
    kv = parse_kube_version(flag)
    assert (kv.String(), kv.Version, kv.Major, kv.Minor) == (string, version, major, minor)


@pytest.mark.parametrize("flag,msg", [
    ("abc", "could not parse \"abc\" as version"),
    ("1", "illegal version string \"1\""),
    ("01.2", "illegal zero-prefixed version component \"01\" in \"01.2\""),
    ("1.99999999999999999999", "illegal non-numeric version component \"99999999999999999999\" in "
     "\"1.99999999999999999999\": strconv.ParseUint: parsing \"99999999999999999999\": value out of range"),
])
def test_parse_kube_version_errors(flag: str, msg: str) -> None:
    with pytest.raises(UsageError) as e:
        parse_kube_version(flag)
    assert e.value.message == f"invalid kube version '{flag}': {msg}"
