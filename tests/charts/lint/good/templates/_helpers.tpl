{{- define "good.x" -}}x{{- end -}}
