#!/usr/bin/env bash
# Side-by-side CPU benchmark: `reaper bench` and the PyTorch peer, same models, batch and threads, in one run.
# Usage: benchmarks/run-cpu.sh [threads] [steps] [models...]
# Needs target/reaper.jar (mvn -q -DskipTests package) and a python3 with torch
# (Debian: apt-get install -y python3-torch; then PYTHON=/usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-2}; STEPS=${2:-20}; shift $(( $# > 2 ? 2 : $# )) || true
MODELS=${*:-c3-32-pool resnet20 c3-32}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=benchmarks/results/cpu-$(date +%Y%m%d-%H%M%S).jsonl
mkdir -p benchmarks/results
printf '%-12s %6s %8s %14s %14s %8s\n' model batch threads reaper_ms torch_ms ratio
for m in $MODELS; do
  r=$(java --add-modules jdk.incubator.vector -jar target/reaper.jar bench --model "$m" --batch 128 --steps "$STEPS" --threads "$THREADS" --json 2>/dev/null | tail -n 1)
  p=$("$PYTHON" benchmarks/pytorch_peer.py --model "$m" --batch 128 --steps "$STEPS" --threads "$THREADS" | tail -n 1)
  echo "$r" >> "$OUT"; echo "$p" >> "$OUT"
  "$PYTHON" - "$r" "$p" <<'PY'
import json, sys
r, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{r['model']:<12} {r['batch']:>6} {r['threads']:>8} {r['ms_per_step']:>14.1f} {p['ms_per_step']:>14.1f} {r['ms_per_step']/p['ms_per_step']:>7.2f}x")
PY
done
echo "raw results: $OUT"
