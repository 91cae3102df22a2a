#!/usr/bin/env bash
set -euo pipefail
LAT="${1:-52.52}"
command -v jq >/dev/null 2>&1 || { echo "jq missing" >&2; exit 1; }
curl -fsSL "https://api.open-meteo.com/v1/forecast?latitude=${LAT}" | jq -r '.current_weather.temperature'
for f in data/*.csv; do [ -f "$f" ] || continue; wc -l < "$f"; done
case "$LAT" in -*) echo south ;; *) echo north ;; esac
