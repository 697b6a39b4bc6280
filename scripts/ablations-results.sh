#!/usr/bin/env bash
# Copies the small files of runs/ablations (tables, plots, per-run config/summary/metrics/RePr log, criteria scores)
# into results/ablations, leaving out checkpoints and snapshots; `scripts/ablations.sh report` rebuilds from either.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${1:-runs/ablations}; DST=${2:-results/ablations}
[ -d "$SRC" ] || { echo "$SRC does not exist: run scripts/ablations.sh first" >&2; exit 1; }
mkdir -p "$DST"
(cd "$SRC" && find . -type f \( -name config.json -o -name summary.json -o -name metrics.csv -o -name metrics.jsonl -o -name repr.jsonl \
   -o -name criteria-scores.json -o -name 'study.*' -o -name 'agreement.*' \) -print0) |
  while IFS= read -r -d '' f; do mkdir -p "$DST/$(dirname "$f")"; cp -p "$SRC/$f" "$DST/$f"; done
echo "copied into $DST: $(find "$DST" -type f | wc -l) files, $(du -sh "$DST" | cut -f1)"
