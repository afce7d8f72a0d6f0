"""A chart -> lint findings: chart rules, manifest rules, Kubernetes schemas."""
