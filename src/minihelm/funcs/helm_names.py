"""helm 4.1.4's template function names (Sprig v3.3.0, helm's pkg/engine, text/template) for docs and tests.

The canonical list a chart can call under `helm template`, kept as data:

  * Sprig v3.3.0 `GenericFuncMap` (functions.go `genericMap`), minus `env` and
    `expandenv`, which helm deletes (pkg/engine/funcs.go funcMap).  Sprig's
    commented-out gt/gte/lt/lte entries are not functions.
  * helm's additions in funcMap (toYaml, fromToml, include, ...), which
    replace Sprig's toJson/fromJson/mustToJson, and initFunMap's render-bound
    overrides (include, tpl, required, fail, lookup, getHostByName stub).
  * text/template's builtins; a FuncMap entry wins over a builtin, so
    `slice` is Sprig's.

Checked against real helm 4.1.4: every name here parses, and every name in
NOT_DEFINED fails to parse with `function "x" not defined` (the
functions/undefined-* probes record a few of them).
"""

from __future__ import annotations

SPRIG_NAMES: tuple[str, ...] = (
    # Date functions
    "hello", "ago", "date", "date_in_zone", "date_modify", "dateInZone", "dateModify",
    "duration", "durationRound", "htmlDate", "htmlDateInZone", "must_date_modify",
    "mustDateModify", "mustToDate", "now", "toDate", "unixEpoch",
    # Strings
    "abbrev", "abbrevboth", "trunc", "trim", "upper", "lower", "title", "untitle", "substr",
    "repeat", "trimall", "trimAll", "trimSuffix", "trimPrefix", "nospace", "initials",
    "randAlphaNum", "randAlpha", "randAscii", "randNumeric", "swapcase", "shuffle",
    "snakecase", "camelcase", "kebabcase", "wrap", "wrapWith", "contains", "hasPrefix",
    "hasSuffix", "quote", "squote", "cat", "indent", "nindent", "replace", "plural",
    "sha1sum", "sha256sum", "sha512sum", "adler32sum", "toString",
    # Numbers
    "atoi", "int64", "int", "float64", "seq", "toDecimal", "split", "splitList", "splitn",
    "toStrings", "until", "untilStep", "add1", "add", "sub", "div", "mod", "mul", "randInt",
    "add1f", "addf", "subf", "divf", "mulf", "biggest", "max", "min", "maxf", "minf", "ceil",
    "floor", "round", "join", "sortAlpha",
    # Defaults, JSON, reflection
    "default", "empty", "coalesce", "all", "any", "compact", "mustCompact", "fromJson",
    "toJson", "toPrettyJson", "toRawJson", "mustFromJson", "mustToJson", "mustToPrettyJson",
    "mustToRawJson", "ternary", "deepCopy", "mustDeepCopy", "typeOf", "typeIs", "typeIsLike",
    "kindOf", "kindIs", "deepEqual",
    # OS (deleted by helm), network, paths, encoding
    "env", "expandenv", "getHostByName", "base", "dir", "clean", "ext", "isAbs", "osBase",
    "osClean", "osDir", "osExt", "osIsAbs", "b64enc", "b64dec", "b32enc", "b32dec",
    # Data structures
    "tuple", "list", "dict", "get", "set", "unset", "hasKey", "pluck", "keys", "pick", "omit",
    "merge", "mergeOverwrite", "mustMerge", "mustMergeOverwrite", "values", "append", "push",
    "mustAppend", "mustPush", "prepend", "mustPrepend", "first", "mustFirst", "rest",
    "mustRest", "last", "mustLast", "initial", "mustInitial", "reverse", "mustReverse", "uniq",
    "mustUniq", "without", "mustWithout", "has", "mustHas", "slice", "mustSlice", "concat",
    "dig", "chunk", "mustChunk",
    # Crypto, UUID, semver, flow control
    "bcrypt", "htpasswd", "genPrivateKey", "derivePassword", "buildCustomCert", "genCA",
    "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert",
    "genSignedCertWithKey", "encryptAES", "decryptAES", "randBytes", "uuidv4", "semver",
    "semverCompare", "fail",
    # Regex, URLs
    "regexMatch", "mustRegexMatch", "regexFindAll", "mustRegexFindAll", "regexFind",
    "mustRegexFind", "regexReplaceAll", "mustRegexReplaceAll", "regexReplaceAllLiteral",
    "mustRegexReplaceAllLiteral", "regexSplit", "mustRegexSplit", "regexQuoteMeta",
    "urlParse", "urlJoin",
)

# helm's funcMap deletes these two from Sprig's map.
HELM_DELETED: frozenset[str] = frozenset({"env", "expandenv"})

# pkg/engine/funcs.go `extra` plus engine.go initFunMap's overrides.
HELM_NAMES: tuple[str, ...] = (
    "toToml", "fromToml", "toYaml", "mustToYaml", "toYamlPretty", "fromYaml", "fromYamlArray",
    "toJson", "mustToJson", "fromJson", "fromJsonArray", "include", "tpl", "required",
    "lookup", "fail", "getHostByName",
)

# text/template's builtins (Go 1.25, which builds helm 4.1.4).
GO_BUILTIN_NAMES: tuple[str, ...] = (
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
)


# Names charts meet that helm 4.1.4 does NOT define (each fails to parse there):
# helm's deletions, Sprig's commented-out comparisons, and helpers of later helm
# releases or other template libraries.
NOT_DEFINED: tuple[str, ...] = (
    "env", "expandenv", "gte", "lte", "mustToToml", "mustFromYaml", "mustFromJsonArray",
    "toDuration", "durationSeconds",
)


def helm_function_names() -> dict[str, str]:
    """Every function name helm 4.1.4 templates can call -> who defines it.

    The origin is the definition helm actually uses: "helm" over "sprig"
    over "text/template", as the FuncMap layering decides.
    """
    names: dict[str, str] = {n: "text/template" for n in GO_BUILTIN_NAMES}
    names.update((n, "sprig") for n in SPRIG_NAMES if n not in HELM_DELETED)
    names.update((n, "helm") for n in HELM_NAMES)
    return names
