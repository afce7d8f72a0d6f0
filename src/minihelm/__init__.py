"""minihelm: a pure-Python, Helm-compatible chart renderer and packager."""
