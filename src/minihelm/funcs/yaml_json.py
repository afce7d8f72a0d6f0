"""Template arguments -> helm's and Sprig's YAML/JSON/TOML functions (toYaml, fromJson, ...).

helm 4.1.4 defines toYaml, mustToYaml, toYamlPretty, fromYaml, fromYamlArray,
toJson, mustToJson, fromJson, fromJsonArray, toToml, fromToml (pkg/engine/funcs.go)
and keeps Sprig's toPrettyJson, mustToPrettyJson, toRawJson, mustToRawJson and
mustFromJson.  mustToToml, mustFromJsonArray and mustFromYaml do not exist there.
A Go panic inside a function reaches the template as an error, so every
"must" form raises GoFuncError with the Go error text.
"""

from __future__ import annotations

from typing import Any

from minihelm.errors import GoFuncError, YAMLError
from minihelm.funcs import gofunc
from minihelm.golang.gotypes import NilList, NilMap
from minihelm.golang.jsonio import GoJSONError, GoJSONTypeError, dumps_go, go_json_kind, loads_go
from minihelm.goyaml.tomlio import TOMLError, dumps_toml, loads_toml
from minihelm.goyaml.yamlemit import dump_yaml, dump_yaml_v3
from minihelm.goyaml.yamlio import load_yaml_list, load_yaml_map

# --- YAML ---------------------------------------------------------------------


@gofunc("toYaml", "interface {}")
def to_yaml(v: Any) -> str:
    """sigs.k8s.io/yaml.Marshal without the final newline; "" on any error."""
    try:
        return dump_yaml(v).removesuffix("\n")
    except YAMLError:
        return ""


@gofunc("mustToYaml", "interface {}")
def must_to_yaml(v: Any) -> str:
    try:
        return dump_yaml(v).removesuffix("\n")
    except YAMLError as e:
        raise GoFuncError(e.message) from None


@gofunc("toYamlPretty", "interface {}")
def to_yaml_pretty(v: Any) -> str:
    """go-yaml v3 Encoder with SetIndent(2), final newline trimmed."""
    try:
        return dump_yaml_v3(v, 2).removesuffix("\n")
    except YAMLError:
        return ""


@gofunc("fromYaml", "string")
def from_yaml(s: str) -> dict[str, Any]:
    """Into map[string]interface{}; a parse error becomes {"Error": "<text>"}."""
    try:
        return load_yaml_map(s, "fromYaml")
    except YAMLError as e:
        return {"Error": e.message}


@gofunc("fromYamlArray", "string")
def from_yaml_array(s: str) -> list[Any]:
    """Into []interface{}; a parse error becomes ["<text>"]."""
    try:
        return load_yaml_list(s, "fromYamlArray")
    except YAMLError as e:
        return [e.message]


# --- JSON ---------------------------------------------------------------------


def _marshal(v: Any, **kw: Any) -> str:
    try:
        return dumps_go(v, **kw)
    except GoJSONError as e:
        raise GoFuncError(str(e)) from None


@gofunc("toJson", "interface {}")
def to_json(v: Any) -> str:
    try:
        return dumps_go(v)
    except GoJSONError:
        return ""


@gofunc("mustToJson", "interface {}")
def must_to_json(v: Any) -> str:
    return _marshal(v)


@gofunc("toPrettyJson", "interface {}")
def to_pretty_json(v: Any) -> str:
    """Sprig: json.MarshalIndent(v, "", "  "), errors swallowed."""
    try:
        return dumps_go(v, indent="  ")
    except GoJSONError:
        return ""


@gofunc("mustToPrettyJson", "interface {}")
def must_to_pretty_json(v: Any) -> str:
    return _marshal(v, indent="  ")


@gofunc("toRawJson", "interface {}")
def to_raw_json(v: Any) -> str:
    """Sprig: an Encoder without HTML escaping; Sprig panics on error, so this raises."""
    return _marshal(v, escape_html=False)


@gofunc("mustToRawJson", "interface {}")
def must_to_raw_json(v: Any) -> str:
    return _marshal(v, escape_html=False)


def _unmarshal_into(s: str, want: type, go_type: str) -> tuple[Any, str | None]:
    """json.Unmarshal into a map or slice: (result, error text or None).

    JSON null leaves a nil map/slice; a number out of range is recorded while
    decoding goes on (Go's saveError), so the partial result comes back too."""
    err: str | None = None
    overflow = False
    try:
        v = loads_go(s)
    except GoJSONTypeError as e:
        v, err, overflow = e.value, str(e), True
    except GoJSONError as e:
        return want(), str(e)
    if v is None and not overflow:
        return (NilMap(go_type) if want is dict else NilList(go_type)), None
    if not isinstance(v, want):
        kind = "number" if v is None else go_json_kind(v)
        return want(), f"json: cannot unmarshal {kind} into Go value of type {go_type}"
    return v, err


@gofunc("fromJson", "string")
def from_json(s: str) -> dict[str, Any]:
    """helm's fromJSON: into map[string]interface{}; an error becomes m["Error"]."""
    m, err = _unmarshal_into(s, dict, "map[string]interface {}")
    if err is not None:
        m = dict(m)
        m["Error"] = err
    return m  # type: ignore[no-any-return]


@gofunc("mustFromJson", "string")
def must_from_json(s: str) -> Any:
    """Sprig: json.Unmarshal into interface{}; errors are returned."""
    try:
        return loads_go(s)
    except GoJSONError as e:
        raise GoFuncError(str(e)) from None


@gofunc("fromJsonArray", "string")
def from_json_array(s: str) -> list[Any]:
    """helm's fromJSONArray: into []interface{}; an error becomes ["<text>"]."""
    a, err = _unmarshal_into(s, list, "[]interface {}")
    return [err] if err is not None else a  # type: ignore[no-any-return]


# --- TOML ---------------------------------------------------------------------


@gofunc("toToml", "interface {}")
def to_toml(v: Any) -> str:
    """BurntSushi/toml Encoder output; on error the error text itself."""
    try:
        return dumps_toml(v)
    except TOMLError as e:
        return str(e)


@gofunc("fromToml", "string",
         note="a parse error's Error text is Python tomllib's wording, not BurntSushi/toml's")
def from_toml(s: str) -> dict[str, Any]:
    """toml.Unmarshal into map[string]interface{}; an error becomes {"Error": "<text>"}."""
    try:
        return loads_toml(s)
    except TOMLError as e:
        return {"Error": str(e)}
