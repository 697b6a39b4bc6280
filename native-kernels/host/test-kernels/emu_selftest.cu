// Kernels that test the CPU stand-in itself (CudaEmulatorTest): barriers, warp operations, atomics,
// shared memory, a deliberate race, faults the stand-in must report. Compiled by nvcc into a test
// fatbin and by g++ into the stand-in, like every kernel.
#include "common.cuh"

// out[t] = in[t - 1] of the block (out[0] = -1), exchanged through shared memory behind a barrier.
extern "C" __global__ void emu_shift(const float* in, float* out) {
    __shared__ float s[1024];
    int t = threadIdx.x, base = blockIdx.x * blockDim.x;
    s[t] = in[base + t];
    __syncthreads();
    out[base + t] = t > 0 ? s[t - 1] : -1.f;
}

// The same without the barrier: correct only if thread t - 1 happens to run before thread t.
extern "C" __global__ void emu_shift_racy(const float* in, float* out) {
    __shared__ float s[1024];
    int t = threadIdx.x, base = blockIdx.x * blockDim.x;
    s[t] = in[base + t];
    out[base + t] = t > 0 ? s[t - 1] : -1.f;
}

// Per warp: out[4 w] = sum (shfl_down), out[4 w + 1] = sum (shfl_xor, read from lane 7),
// out[4 w + 2] = lane 5's value broadcast (shfl), out[4 w + 3] = ballot of (value > 0) as a float.
extern "C" __global__ void emu_warp_ops(const float* in, float* out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x, lane = threadIdx.x & 31, warp = i >> 5;
    float v = in[i];
    float down = v;
    for (int o = 16; o > 0; o >>= 1) down += __shfl_down_sync(0xffffffffu, down, o);
    float all = v;
    for (int o = 16; o > 0; o >>= 1) all += __shfl_xor_sync(0xffffffffu, all, o);
    float all7 = __shfl_sync(0xffffffffu, all, 7);
    float five = __shfl_sync(0xffffffffu, v, 5);
    unsigned ballot = __ballot_sync(0xffffffffu, v > 0.f);
    if (lane == 0) {
        out[4 * warp] = down;
        out[4 * warp + 1] = all7;
        out[4 * warp + 2] = five;
        out[4 * warp + 3] = (float)ballot;
    }
}

// out[blockIdx.x] = how many threads of the block have pred != 0; and a block sum in double
// (common.cuh's block_sum_d, used by the real kernels) into sums[blockIdx.x].
extern "C" __global__ void emu_block_reduce(const int* pred, const float* x, int* count, double* sums) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int c = __syncthreads_count(pred[i]);
    double s = block_sum_d((double)x[i]);
    if (threadIdx.x == 0) { count[blockIdx.x] = c; sums[blockIdx.x] = s; }
}

// Every thread adds 1 to counter[0] `times` times: blocks run on several host threads.
extern "C" __global__ void emu_atomic_count(int* counter, int times) {
    for (int k = 0; k < times; k++) atomicAdd(counter, 1);
}

// Lanes 0-15 and 16-31 call different shuffles: a divergent warp the stand-in must report.
extern "C" __global__ void emu_divergent_shuffle(float* out) {
    float v = (float)threadIdx.x;
    v = threadIdx.x < 16 ? __shfl_down_sync(0xffffffffu, v, 1) : __shfl_xor_sync(0xffffffffu, v, 1);
    out[threadIdx.x] = v;
}

// Lane 31 leaves before a full-mask shuffle: undefined on a GPU, reported by the stand-in.
extern "C" __global__ void emu_exit_before_shuffle(float* out) {
    if (threadIdx.x == 31) return;
    out[threadIdx.x] = __shfl_down_sync(0xffffffffu, (float)threadIdx.x, 1);
}

// Writes `count` floats starting `offset` floats from p (offset < 0 or past the end: a bug).
extern "C" __global__ void emu_write_at(float* p, int offset, int count) {
    if (blockIdx.x == 0 && threadIdx.x == 0)
        for (int k = 0; k < count; k++) p[offset + k] = 1.f;
}

extern "C" __global__ void emu_trap(float* out) {
    out[threadIdx.x] = 1.f;
    if (threadIdx.x == 3) __trap();
}

// 40 KiB of static shared memory: leaves 8 KiB for dynamic shared memory under the 48 KiB limit.
extern "C" __global__ void emu_big_shared(float* out) {
    __shared__ float big[10240];
    big[threadIdx.x] = (float)threadIdx.x;
    __syncthreads();
    out[threadIdx.x] = big[blockDim.x - 1 - threadIdx.x];
}

// A kernel with a GPU-only body, like the TF32 tensor-core GEMM: refused at launch on the host.
extern "C" __global__ void emu_device_only(float* out) {
#if defined(__CUDA_ARCH__)
    out[threadIdx.x] = 1.f;
#else
    REAPER_DEVICE_ONLY();
#endif
}

// Argument packing: a struct by value between scalars of every width.
struct EmuPack { int a, b, c; };
extern "C" __global__ void emu_params(int i, float f, long long l, double d, EmuPack s, unsigned long long u, double* out) {
    out[0] = i; out[1] = f; out[2] = (double)l; out[3] = d; out[4] = s.a; out[5] = s.b; out[6] = s.c; out[7] = (double)u;
}
