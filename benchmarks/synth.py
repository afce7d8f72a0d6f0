"""Sizes -> synthetic charts, values files, chart archives and index.yaml files for scaling runs.

Everything here is generated from a seed-free recipe (no randomness), so two
runs build byte-identical inputs and timings compare across machines.

usage (each prints the path it wrote):

    python benchmarks/synth.py chart  OUT --templates 2000
    python benchmarks/synth.py values OUT --keys 50000
    python benchmarks/synth.py archives OUT --count 2000
    python benchmarks/synth.py index  OUT/index.yaml --mb 20

The functions (`make_chart`, `make_values_chart`, `make_archives`,
`make_archive`, `make_index`, `synth_template`) are what scale.py, micro.py
and tests/test_benchmarks_smoke.py import.
"""

from __future__ import annotations

import argparse
import gzip
import io
import tarfile
from pathlib import Path

CHART_YAML = """apiVersion: v2
name: {name}
description: A synthetic chart for minihelm scaling runs
type: application
version: {version}
appVersion: "1.0.0"
"""

HELPERS = '''{{/* Expand the name of the chart. */}}
{{- define "synth.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "synth.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "synth.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "synth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "synth.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "synth.labels" -}}
helm.sh/chart: {{ include "synth.chart" . }}
{{ include "synth.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}
'''


def synth_template(i: int) -> str:
    """Template number `i`: a Deployment-like document with includes, ranges, toYaml, printf."""
    return f'''{{{{- $fullName := include "synth.fullname" . }}}}
{{{{- $idx := {i} }}}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{{{ printf "%s-%04d" $fullName $idx }}}}
  labels:
    {{{{- include "synth.labels" . | nindent 4 }}}}
  annotations:
    checksum/config: {{{{ printf "%s-%d" $fullName $idx | sha256sum | trunc 16 }}}}
spec:
  replicas: {{{{ .Values.replicaCount }}}}
  selector:
    matchLabels:
      {{{{- include "synth.selectorLabels" . | nindent 6 }}}}
  template:
    metadata:
      labels:
        {{{{- include "synth.labels" . | nindent 8 }}}}
    spec:
      {{{{- with .Values.nodeSelector }}}}
      nodeSelector:
        {{{{- toYaml . | nindent 8 }}}}
      {{{{- end }}}}
      containers:
        - name: {{{{ .Chart.Name }}}}-{{{{ $idx }}}}
          image: "{{{{ .Values.image.repository }}}}:{{{{ .Values.image.tag | default .Chart.AppVersion }}}}"
          imagePullPolicy: {{{{ .Values.image.pullPolicy }}}}
          env:
            {{{{- range $k, $v := .Values.env }}}}
            - name: {{{{ $k | upper }}}}
              value: {{{{ $v | quote }}}}
            {{{{- end }}}}
          ports:
            {{{{- range $i, $p := .Values.ports }}}}
            - name: {{{{ $p.name }}}}
              containerPort: {{{{ add $p.port $idx }}}}
              protocol: {{{{ $p.protocol | default "TCP" }}}}
            {{{{- end }}}}
          resources:
            {{{{- toYaml .Values.resources | nindent 12 }}}}
          {{{{- if .Values.probes.enabled }}}}
          livenessProbe:
            httpGet:
              path: {{{{ .Values.probes.path }}}}
              port: {{{{ (index .Values.ports 0).name }}}}
          {{{{- end }}}}
'''


SYNTH_VALUES = """replicaCount: 2
nameOverride: ""
fullnameOverride: ""
commonLabels:
  team: platform
  tier: backend
image:
  repository: registry.example.com/synth/app
  pullPolicy: IfNotPresent
  tag: ""
nodeSelector:
  kubernetes.io/os: linux
env:
  log_level: info
  feature_x: "on"
  workers: 4
  region: eu-west-1
  cache_ttl: 300s
ports:
  - name: http
    port: 8080
    protocol: TCP
  - name: metrics
    port: 9090
  - name: grpc
    port: 9000
resources:
  limits:
    cpu: 500m
    memory: 256Mi
  requests:
    cpu: 100m
    memory: 128Mi
probes:
  enabled: true
  path: /healthz
"""


def make_chart(dest: str | Path, templates: int = 200, name: str = "synth") -> Path:
    """A chart folder with `templates` template files sharing one _helpers.tpl -> its path."""
    root = Path(dest)
    tdir = root / "templates"
    tdir.mkdir(parents=True, exist_ok=True)
    (root / "Chart.yaml").write_text(CHART_YAML.format(name=name, version="0.1.0"))
    (root / "values.yaml").write_text(SYNTH_VALUES)
    (tdir / "_helpers.tpl").write_text(HELPERS)
    for i in range(templates):
        (tdir / f"deploy-{i:05d}.yaml").write_text(synth_template(i))
    return root


def big_values_yaml(keys: int = 50_000, per_group: int = 100) -> str:
    """A values.yaml with `keys` leaf keys, in groups of `per_group` under `big:`."""
    out = io.StringIO()
    out.write("replicaCount: 1\nbig:\n")
    kinds = ("string value {n}", "{n}", "true", "{n}.5", '"quoted {n}"')
    for g in range((keys + per_group - 1) // per_group):
        out.write(f"  group{g:05d}:\n")
        for k in range(per_group):
            n = g * per_group + k
            if n >= keys:
                break
            out.write(f"    key{n:06d}: {kinds[n % len(kinds)].format(n=n)}\n")
    return out.getvalue()


BIG_TEMPLATES = {
    "summary.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-summary
data:
  groups: {{ len .Values.big | quote }}
  {{- range $g, $kv := .Values.big }}
  {{ $g }}: {{ len $kv | quote }}
  {{- end }}
""",
    "dump.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-dump
data:
  values.yaml: |
    {{- toYaml .Values.big | nindent 4 }}
""",
}


def make_values_chart(dest: str | Path, keys: int = 50_000) -> Path:
    """A chart whose values.yaml has `keys` keys; its templates range over and toYaml them."""
    root = Path(dest)
    (root / "templates").mkdir(parents=True, exist_ok=True)
    (root / "Chart.yaml").write_text(CHART_YAML.format(name="bigvalues", version="0.1.0"))
    (root / "values.yaml").write_text(big_values_yaml(keys))
    for fname, text in BIG_TEMPLATES.items():
        (root / "templates" / fname).write_text(text)
    return root


def _tar_add(tf: tarfile.TarFile, path: str, data: bytes) -> None:
    info = tarfile.TarInfo(path)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = 315532800
    tf.addfile(info, io.BytesIO(data))


def make_archive(dest_dir: str | Path, name: str, version: str) -> Path:
    """One small chart archive `<name>-<version>.tgz` in helm's layout -> its path."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        chart_yaml = CHART_YAML.format(name=name, version=version)
        chart_yaml += f"keywords:\n- synth\n- {name}\nhome: https://example.com/{name}\n"
        _tar_add(tf, f"{name}/Chart.yaml", chart_yaml.encode())
        _tar_add(tf, f"{name}/values.yaml", SYNTH_VALUES.encode())
        _tar_add(tf, f"{name}/templates/_helpers.tpl", HELPERS.encode())
        _tar_add(tf, f"{name}/templates/deploy.yaml", synth_template(0).encode())
    path = Path(dest_dir) / f"{name}-{version}.tgz"
    path.write_bytes(gzip.compress(buf.getvalue(), mtime=0))
    return path


def make_archives(dest: str | Path, count: int = 2000, versions_per_chart: int = 10) -> Path:
    """A repository folder of `count` archives: count/versions_per_chart charts x versions."""
    root = Path(dest)
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        chart, v = divmod(i, versions_per_chart)
        make_archive(root, f"chart{chart:04d}", f"1.{v}.0")
    return root


_ENTRY = """  - annotations:
      category: Infrastructure
      licenses: Apache-2.0
    apiVersion: v2
    appVersion: {v}
    created: "2024-0{m}-1{d}T12:34:56.{ns:09d}Z"
    dependencies:
    - name: common
      repository: oci://registry.example.com/charts
      tags:
      - common
      version: 2.x.x
    description: Synthetic chart {name} for index loading runs; this line is long on purpose
      so that folding, as helm writes it, is exercised too.
    digest: {digest}
    home: https://example.com/{name}
    icon: https://example.com/{name}/icon.svg
    keywords:
    - synth
    - {name}
    maintainers:
    - name: Synth Maintainers
      url: https://example.com/team
    name: {name}
    sources:
    - https://github.com/example/{name}
    urls:
    - https://charts.example.com/{name}-{v}.tgz
    version: {v}
"""


def make_index(dest: str | Path, mb: float = 20.0, versions_per_chart: int = 50) -> Path:
    """An index.yaml of about `mb` MiB in the layout helm writes -> its path."""
    path = Path(dest)
    path.parent.mkdir(parents=True, exist_ok=True)
    target = int(mb * (1 << 20))
    size = 0
    with open(path, "w") as fh:
        fh.write("apiVersion: v1\nentries:\n")
        chart = 0
        while size < target:
            name = f"chart{chart:05d}"
            fh.write(f"  {name}:\n")
            for v in range(versions_per_chart):
                n = chart * versions_per_chart + v
                text = _ENTRY.format(name=name, v=f"{v // 10}.{v % 10}.{chart % 7}",
                                     m=1 + n % 9, d=n % 10, ns=n * 7919 % 10**9,
                                     digest=f"{n:064x}")
                fh.write(text)
                size += len(text)
            chart += 1
        fh.write('generated: "2024-06-01T00:00:00.123456789Z"\n')
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="kind", required=True)
    p = sub.add_parser("chart")
    p.add_argument("out")
    p.add_argument("--templates", type=int, default=200)
    p = sub.add_parser("values")
    p.add_argument("out")
    p.add_argument("--keys", type=int, default=50_000)
    p = sub.add_parser("archives")
    p.add_argument("out")
    p.add_argument("--count", type=int, default=2000)
    p = sub.add_parser("index")
    p.add_argument("out")
    p.add_argument("--mb", type=float, default=20.0)
    a = ap.parse_args(argv)
    if a.kind == "chart":
        print(make_chart(a.out, a.templates))
    elif a.kind == "values":
        print(make_values_chart(a.out, a.keys))
    elif a.kind == "archives":
        print(make_archives(a.out, a.count))
    else:
        print(make_index(a.out, a.mb))


if __name__ == "__main__":
    main()
