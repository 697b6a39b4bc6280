#!/usr/bin/env bash
# Compiles every native-kernels/*.cu into OUT_DIR/<name>.fatbin (PTX + SASS for sm_80 and sm_90,
# with -lineinfo for Nsight). Called by Maven in generate-resources; the fatbins become jar
# resources under /native-kernels/. Without nvcc on the PATH it prints one line and succeeds, and
# the CUDA backend later reports that the kernels were not built. A compile error fails the build.
set -u
OUT_DIR="${1:?usage: build.sh OUT_DIR [SOURCE_DIR]}"
SRC_DIR="$(cd "$(dirname "$0")" && pwd)"          # include path (common.cuh, gemm_tile.cuh)
CU_DIR="$(cd "${2:-$SRC_DIR}" && pwd)"            # the .cu files to compile (default: the kernels; tests pass host/test-kernels)
if ! command -v nvcc >/dev/null 2>&1; then
    echo "native-kernels: nvcc not on the PATH, CUDA kernels not built (the CUDA backend will say so)"
    exit 0
fi
mkdir -p "$OUT_DIR"
JOBS="${REAPER_NVCC_JOBS:-2}"
# --fmad=false: plain a*b+c rounds like Java (kernels ask for FMA explicitly with fmaf);
# -no-compress: kernel names stay readable in the fatbin (KernelManifestTest scans for them).
FLAGS=(-fatbin -O3 -std=c++17 -lineinfo --fmad=false -no-compress
       -gencode "arch=compute_80,code=[sm_80,compute_80]"
       -gencode "arch=compute_90,code=[sm_90,compute_90]")

compile() {
    local src="$1" name
    name="$(basename "$src" .cu)"
    local out="$OUT_DIR/$name.fatbin"
    if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ -z "$(find "$SRC_DIR" -name '*.cuh' -newer "$out")" ] \
            && [ "$out" -nt "$SRC_DIR/build.sh" ]; then
        return 0                                  # up to date
    fi
    if ! nvcc "${FLAGS[@]}" -I "$SRC_DIR" -o "$out.tmp" "$src"; then
        rm -f "$out.tmp"
        echo "native-kernels: nvcc failed on $(basename "$src")" >&2
        return 1
    fi
    mv "$out.tmp" "$out"
}

status=0
pids=()
for src in "$CU_DIR"/*.cu; do
    compile "$src" &
    pids+=($!)
    if [ "${#pids[@]}" -ge "$JOBS" ]; then
        wait "${pids[0]}" || status=1
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
if [ "$status" -ne 0 ]; then exit 1; fi
ls "$CU_DIR"/*.cu | sed 's#.*/##; s#\.cu$##' > "$OUT_DIR/modules.txt"
nvcc --version | grep -o 'release [0-9.]*' | head -1 > "$OUT_DIR/nvcc-version.txt"
echo "native-kernels: $(wc -l < "$OUT_DIR/modules.txt") modules compiled with $(nvcc --version | tail -1) into $OUT_DIR"
