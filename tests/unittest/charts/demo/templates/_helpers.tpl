{{- define "demo.fullname" -}}
{{ .Release.Name }}-{{ .Chart.Name }}
{{- end -}}
{{- define "demo.checked" -}}
{{- if .Values.failWith }}{{ fail .Values.failWith }}{{ end -}}
{{- end -}}
