"""The whole `helm template` pipeline -> sorted manifests, results for Python callers, diffs."""
