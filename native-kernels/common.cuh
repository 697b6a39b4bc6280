// Shared helpers for Reaper's kernels. Every kernel is extern "C" so its name reads well in Nsight
// and can be looked up by name with cuModuleGetFunction. Tensors are dense row-major float32.
// The files are compiled with --fmad=false so that plain expressions round like the Java CPU
// backend; hot loops that want fused multiply-adds ask for them with fmaf().
#pragma once
#include <stdint.h>

// A kernel whose body exists only for the GPU (#if __CUDA_ARCH__) puts this in its host branch: the
// CPU stand-in (host/include/cuda_host.h) then refuses the launch instead of running an empty body.
#ifndef REAPER_DEVICE_ONLY
#define REAPER_DEVICE_ONLY()
#endif

#define GRID_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)

__device__ __forceinline__ float warp_sum_f(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ double warp_sum_d(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    return v;
}

// Sum of one double per thread over the whole block (blockDim.x a multiple of 32, <= 1024);
// the result is valid in thread 0. Uses 32 doubles of shared memory; callable repeatedly.
__device__ __forceinline__ double block_sum_d(double v) {
    __shared__ double partial[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = warp_sum_d(v);
    __syncthreads();
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    int warps = (blockDim.x + 31) >> 5;
    v = (threadIdx.x < warps) ? partial[threadIdx.x] : 0.0;
    if (warp == 0) v = warp_sum_d(v);
    return v;
}

// block_sum_d's total in every thread of the block (two more barriers); callable repeatedly.
__device__ __forceinline__ double block_allsum_d(double v) {
    __shared__ double total;
    v = block_sum_d(v);
    if (threadIdx.x == 0) total = v;
    __syncthreads();
    double t = total;
    __syncthreads();
    return t;
}
