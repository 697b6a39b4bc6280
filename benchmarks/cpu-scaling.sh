#!/usr/bin/env bash
# How a training step's cost grows with the work: images/s of Reaper and of the tuned PyTorch peer (see run-cpu.sh)
# for batch 32, 128, 512 and 1 and 2 threads, with each side's peak RSS. Images/s should not fall as the batch grows.
# Usage: benchmarks/cpu-scaling.sh [steps] [models...]      (JAR=target/reaper.jar, PYTHON=/usr/bin/python3)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-10}; shift $(( $# > 0 ? 1 : 0 )) || true
MODELS=${*:-c3-32-pool resnet20 c3-32}
PYTHON=${PYTHON:-/usr/bin/python3}
JAR=${JAR:-target/reaper.jar}
OUT=benchmarks/results/cpu-scaling-$(date +%Y%m%d-%H%M%S).jsonl
source benchmarks/tuned-malloc.sh
mkdir -p benchmarks/results
echo "# $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg); $STEPS steps"
printf '%-11s %6s %8s %14s %14s %8s %10s %10s\n' model batch threads reaper_img_s torch_img_s ratio reaper_mb torch_mb
for m in $MODELS; do
  for t in 1 2; do
    for b in 32 128 512; do
      r=$(java --add-modules jdk.incubator.vector -jar "$JAR" bench --model "$m" --batch "$b" --steps "$STEPS" --threads "$t" --json 2>/dev/null | tail -n 1)
      f=$("${TUNED_MALLOC[@]}" "$PYTHON" benchmarks/pytorch_peer.py --config fast --model "$m" --batch "$b" --steps "$STEPS" --threads "$t" | tail -n 1)
      printf '%s\n%s\n' "$r" "$f" >> "$OUT"
      "$PYTHON" - "$r" "$f" <<'PY'
import json, sys
r, f = (json.loads(a) for a in sys.argv[1:])
print(f"{r['model']:<11} {r['batch']:>6} {r['threads']:>8} {r['images_per_s']:>14.0f} {f['images_per_s']:>14.0f} {r['ms_per_step']/f['ms_per_step']:>7.2f}x"
      f" {r['peak_rss_mb']:>10.0f} {f['peak_rss_mb']:>10.0f}")
PY
    done
  done
done
echo "raw results: $OUT"
