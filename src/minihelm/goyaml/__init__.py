"""go-yaml-exact load and emit, YAML 1.1 resolution, block YAML and TOML.

Named for go-yaml so that it never shadows PyYAML's `yaml`."""
