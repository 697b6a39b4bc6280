#!/usr/bin/env bash
# Side-by-side CPU benchmark: `reaper bench` and the PyTorch peer, same models, batch and threads, in one run.
# Usage: benchmarks/run-cpu.sh [threads] [steps] [models...]     (BATCH=128 by default)
# The peer runs twice: "fast" is what a user tuning PyTorch for CPU speed runs (channels_last, so oneDNN's blocked
# convolution, batch-norm and pooling kernels; glibc told to keep freed memory instead of returning it to the
# kernel, so a step does not page-fault its activations in again); "stock" is PyTorch out of the box (NCHW, default
# allocator). Ratios are Reaper / PyTorch on the median step; spread is p90 / p10 of the timed steps; alloc_mb is what
# Reaper's step allocates on the Java heap after warm-up (0.1-0.5 MB when every kernel's vectors stay in registers).
# Before and after the models it prints the machine's FMA ceiling and memory copy bandwidth at that minute
# (MachineProbe): on a shared VM the bandwidth can halve for minutes, and Reaper's step slows more than PyTorch's.
# Needs target/reaper.jar (mvn -q -DskipTests package) and a python3 with torch
# (Debian: apt-get install -y python3-torch; then PYTHON=/usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-2}; STEPS=${2:-30}; shift $(( $# > 2 ? 2 : $# )) || true
MODELS=${*:-c3-32-pool resnet20 c3-32}
BATCH=${BATCH:-128}
PYTHON=${PYTHON:-/usr/bin/python3}
JAR=${JAR:-target/reaper.jar}
OUT=benchmarks/results/cpu-$(date +%Y%m%d-%H%M%S).jsonl
source benchmarks/tuned-malloc.sh
mkdir -p benchmarks/results
echo "# $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg); batch $BATCH, $THREADS threads, $STEPS steps"
probe() { java --add-modules jdk.incubator.vector -cp "$JAR" org.reaper.backend.cpu.MachineProbe "$THREADS" 2>/dev/null | sed 's/^/# /'; }
probe
printf '%-11s %9s %7s %10s %7s %8s %10s %7s %8s %8s %8s %9s\n' model reaper_ms spread torch_fast spread ratio torch_stock spread ratio rss_mb torch_mb alloc_mb
for m in $MODELS; do
  r=$(java --add-modules jdk.incubator.vector -jar "$JAR" bench --model "$m" --batch "$BATCH" --steps "$STEPS" --threads "$THREADS" --json 2>/dev/null | tail -n 1)
  f=$("${TUNED_MALLOC[@]}" "$PYTHON" benchmarks/pytorch_peer.py --config fast --model "$m" --batch "$BATCH" --steps "$STEPS" --threads "$THREADS" | tail -n 1)
  s=$("$PYTHON" benchmarks/pytorch_peer.py --config stock --model "$m" --batch "$BATCH" --steps "$STEPS" --threads "$THREADS" | tail -n 1)
  printf '%s\n%s\n%s\n' "$r" "$f" "$s" >> "$OUT"
  "$PYTHON" - "$r" "$f" "$s" <<'PY'
import json, sys
r, f, s = (json.loads(a) for a in sys.argv[1:])
sp = lambda d: d['ms_p90'] / d['ms_p10']
print(f"{r['model']:<11} {r['ms_per_step']:>9.1f} {sp(r):>7.2f} {f['ms_per_step']:>10.1f} {sp(f):>7.2f} {r['ms_per_step']/f['ms_per_step']:>7.2f}x"
      f" {s['ms_per_step']:>10.1f} {sp(s):>7.2f} {r['ms_per_step']/s['ms_per_step']:>7.2f}x {r['peak_rss_mb']:>8.0f} {f['peak_rss_mb']:>8.0f}"
      f" {r.get('alloc_mb_per_step', float('nan')):>9.1f}")
PY
done
probe
echo "raw results: $OUT"
