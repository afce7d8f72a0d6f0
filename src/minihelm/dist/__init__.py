"""Charts leaving and arriving: OCI registries, named HTTP repositories and provenance.

Fed by the chart loader and the packager; feeds pull, show, template and
dependency update.  The older flat modules (package, repo, pull, deps) join
this package when the house is re-laid (issue #16).
"""
