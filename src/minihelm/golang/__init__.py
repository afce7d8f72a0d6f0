"""Go's standard library as helm sees it: types, fmt, strconv, time layouts, JSON, RE2, semver."""
