#!/usr/bin/env bash
# One prepared run on a GPU host (issue #12): verifies the CUDA backend on the device and times it against
# PyTorch, writing everything into RESULTS_DIR. Needs the bundle (mvn -Pbundle -DskipTests package:
# target/reaper-bundle/ with the jlink'd Java, reaper.jar, reaper-tests.jar, junit-console.jar) carried to the
# host (the folder is ~76 MB, over the device tool's 64 MiB carry: carry target/reaper-bundle.tar.xz, ~52 MB,
# and this script unpacks it beside itself); PyTorch there is the peer.
#   benchmarks/gpu/run.sh RESULTS_DIR                      # on the GPU: --device cuda, full sizes
#   DEVICE=cuda-emulated DRY=1 benchmarks/gpu/run.sh DIR   # the dry run on the CPU stand-in (tiny sizes)
# Each stage writes its own file, runs under a time limit (90 s a bench, 240 s the tests) and a failing stage does
# not stop the others (the GPU's minutes are scarce);
# the script ends with one line per failed stage and exits with how many failed (CI runs the dry run).
set -uo pipefail
OUT="${1:?usage: benchmarks/gpu/run.sh RESULTS_DIR}"
HERE="$(cd "$(dirname "$0")/../.." && pwd)"
B="${REAPER_BUNDLE:-$HERE/target/reaper-bundle}"
DEVICE="${DEVICE:-cuda}"
DRY="${DRY:-0}"
PYTHON="${PYTHON:-python3}"
if [ ! -d "$B" ] && [ -f "$B.tar.xz" ]; then tar -C "$(dirname "$B")" -xJf "$B.tar.xz"; fi
[ -x "$B/reaper" ] || { echo "no bundle at $B: build it with mvn -Pbundle -DskipTests package" >&2; exit 2; }
mkdir -p "$OUT/tmp"
OUT="$(cd "$OUT" && pwd)"
JAVA=("$B/runtime/bin/java" --add-modules jdk.incubator.vector -Djava.io.tmpdir="$OUT/tmp")
REAPER=("${JAVA[@]}" -jar "$B/reaper.jar")
if [ "$DRY" = 1 ]; then BATCHES="4"; STEPS=2; WARMUP=1; CYCLES=1; else BATCHES="128 512"; STEPS=30; WARMUP=5; CYCLES=5; fi
stage() { echo "== $1 ($(date +%T), ${SECONDS} s in)"; }
# a stage that hangs (a kernel that never returns, a driver wait) is killed rather than eating the GPU's minutes
limit() { local s=$1; shift; timeout -k 5 "$s" "$@"; local rc=$?; [ $rc = 124 ] || [ $rc = 137 ] && echo "timed out after $s s: $*" >&2; return $rc; }
FAILED=()
failed() { FAILED+=("$1"); echo "FAILED: $1"; }

stage "machine"
{ nvidia-smi || echo "nvidia-smi: not available"; } > "$OUT/nvidia-smi.txt" 2>&1
"${REAPER[@]}" info > "$OUT/info.txt" 2>&1 || echo "reaper info failed (see info.txt)"
cat "$OUT/info.txt"

stage "ceilings: copy bandwidth, GEMM rate per provider"
if [ "$DRY" = 1 ]; then CEIL=(--gemm-size 256 --copy-mib 8 --steps 3); else CEIL=(--gemm-size 8192 --copy-mib 1024 --steps 10); fi
limit 90 "${REAPER[@]}" bench --ceilings --device "$DEVICE" "${CEIL[@]}" --json > "$OUT/ceilings.txt" 2>&1
tail -n 2 "$OUT/ceilings.txt"
grep -q '"sgemm_gflops"' "$OUT/ceilings.txt" || failed "ceilings (see ceilings.txt)"

stage "CUDA test classes on $DEVICE"
DRIVER=system; [ "$DEVICE" = cuda-emulated ] && DRIVER=emulated
limit 240 "${JAVA[@]}" -Dreaper.test.cuda="$DRIVER" -jar "$B/junit-console.jar" -cp "$B/reaper.jar:$B/reaper-tests.jar" \
    --select-class org.reaper.backend.cuda.CudaParityTest --select-class org.reaper.backend.CudaCpuAgreementTest \
    --select-class org.reaper.backend.cuda.EndToEndParityTest --select-class org.reaper.backend.NullSpaceReinitTest \
    --select-class org.reaper.repr.ReprDeviceParityTest --select-class org.reaper.autograd.ops.OpsGradientTest \
    --select-class org.reaper.backend.GemmConvOpsTest --select-class org.reaper.backend.BatchNormKernelsTest \
    --select-class org.reaper.backend.PoolKernelsTest --select-class org.reaper.backend.LossKernelsTest \
    --select-class org.reaper.backend.ElementwiseKernelsTest --select-class org.reaper.backend.RandomKernelsTest \
    --select-class org.reaper.backend.OptimKernelsTest --select-class org.reaper.backend.ReprKernelsTest \
    --reports-dir "$OUT/junit" --details=summary --disable-banner > "$OUT/tests.txt" 2>&1
TESTS_EXIT=$?
echo "tests: exit $TESTS_EXIT ($(grep -E 'tests (found|successful|aborted|skipped|failed)' "$OUT/tests.txt" | tr -s ' ' | tr '\n' ';'))"
# every test found must pass: a CUDA test that finds no device is "aborted" (an assumption), not failed
count() { grep -E "tests $1" "$OUT/tests.txt" | tr -dc '0-9'; }
[ "$TESTS_EXIT" = 0 ] && [ -n "$(count found)" ] && [ "$(count found)" = "$(count successful)" ] && [ "$(count found)" -gt 0 ] \
    || failed "CUDA test classes: not every test found passed (see tests.txt and junit/)"

stage "training steps: Reaper on $DEVICE vs PyTorch eager"
: > "$OUT/bench.jsonl"
# keep WHO WHAT < <(command): its last line, a JSON row, goes into bench.jsonl tagged with WHO; no JSON row fails
# stage WHAT (fed by a process substitution, not a pipe, so that failed() runs in this shell)
keep() { local row; row="$(tail -n 1)"; if [[ "$row" == "{"* ]]; then echo "{\"who\":\"$1\",${row#\{}" >> "$OUT/bench.jsonl"; else failed "$2 (see bench.err)"; fi; }
for m in c3-32 c3-32-pool resnet20; do
    for b in $BATCHES; do
        keep reaper "bench $m batch $b" < <(limit 90 "${REAPER[@]}" bench --device "$DEVICE" --model "$m" --batch "$b" --steps "$STEPS" \
            --warmup "$WARMUP" --warmup-seconds 1 --json 2>>"$OUT/bench.err")
        if [ "$DEVICE" = cuda ]; then   # the peer tuned (channels_last, cudnn.benchmark) and stock
            for c in fast stock; do
                keep pytorch "PyTorch peer ($c) $m batch $b" < <(limit 90 "$PYTHON" "$HERE/benchmarks/pytorch_peer.py" --device cuda --config "$c" \
                    --model "$m" --batch "$b" --steps "$STEPS" --warmup "$WARMUP" 2>>"$OUT/bench.err")
            done
        fi
    done
done
"$PYTHON" - "$OUT/bench.jsonl" <<'PY' | tee "$OUT/bench-table.txt"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
ours = {(r["model"], r["batch"]): r for r in rows if r.get("who") == "reaper"}
peer = {(r["model"], r["batch"], r.get("config", "fast")): r for r in rows if r.get("who") == "pytorch"}
def ms(p): return f"{p['ms_per_step']:.2f}" if p else "-"
def ratio(r, p): return f"{r['ms_per_step'] / p['ms_per_step']:.2f}x" if p else "-"
print(f"{'model':<12} {'batch':>5} {'reaper ms':>10} {'torch tuned':>12} {'ratio':>7} {'torch stock':>12} {'ratio':>7} {'launches':>9}  providers")
for k, r in ours.items():
    f, s = peer.get(k + ("fast",)), peer.get(k + ("stock",))
    print(f"{k[0]:<12} {k[1]:>5} {r['ms_per_step']:>10.2f} {ms(f):>12} {ratio(r, f):>7} {ms(s):>12} {ratio(r, s):>7} "
          f"{r.get('launches_per_step', '-'):>9}  {r.get('providers', '')}")
PY

stage "a RePr cycle of resnet20 on $DEVICE"
limit 90 "${REAPER[@]}" bench --device "$DEVICE" --model resnet20 --repr-cycle --steps "$CYCLES" --warmup 1 --batch 8 --json > "$OUT/repr-cycle.txt" 2>&1
tail -n 2 "$OUT/repr-cycle.txt"
grep -q '"ms_per_cycle"' "$OUT/repr-cycle.txt" || failed "RePr cycle (see repr-cycle.txt)"

if command -v nsys >/dev/null 2>&1 && [ "$DEVICE" = cuda ]; then
    stage "nsys: a 10-step window of resnet20"
    limit 150 nsys profile --capture-range=cudaProfilerApi -o "$OUT/reaper-r20" --force-overwrite true "${REAPER[@]}" bench --device cuda \
        --model resnet20 --batch 128 --steps 30 --profile-steps 20:30 > "$OUT/nsys.txt" 2>&1
    limit 60 nsys stats --report cuda_gpu_kern_sum "$OUT/reaper-r20.nsys-rep" > "$OUT/kernels.txt" 2>&1
    grep -q "conv2d\|sgd_step" "$OUT/kernels.txt" || failed "nsys profile (see nsys.txt, kernels.txt)"
else
    echo "nsys: not run (not on the PATH, or not a GPU run)" > "$OUT/nsys.txt"
fi
stage "done: $OUT"
if [ ${#FAILED[@]} -gt 0 ]; then printf 'failed stage: %s\n' "${FAILED[@]}"; else echo "every stage ran"; fi
exit ${#FAILED[@]}
