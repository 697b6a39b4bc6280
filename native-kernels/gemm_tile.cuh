// The shared-memory tiled GEMM engine behind sgemm_tiled and the implicit-GEMM convolutions.
// A block of 256 threads computes a 64 x 64 tile of C = A(M x K) * B(K x N) over the k range
// [kBegin, kEnd); each thread holds a 4 x 4 register block (rows ty + 16 i, cols tx + 16 j).
// The operands are read through loader functors (row, k) -> value and the result is written
// through a store functor (m, n, acc), so a convolution can gather its im2col matrix on the fly.
#pragma once
#include "common.cuh"

#define TILE_M 64
#define TILE_N 64
#define TILE_K 16
#define TILE_THREADS 256

template <class LoadA, class LoadB, class Store>
__device__ __forceinline__ void gemm_tile_64x64(int M, int N, int kBegin, int kEnd,
                                                const LoadA& loadA, const LoadB& loadB, const Store& store) {
    __shared__ float As[TILE_K][TILE_M + 4];
    __shared__ float Bs[TILE_K][TILE_N + 4];
    const int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
    const int m0 = blockIdx.y * TILE_M, n0 = blockIdx.x * TILE_N;
    float acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = 0.f;

    for (int k0 = kBegin; k0 < kEnd; k0 += TILE_K) {
#pragma unroll
        for (int l = 0; l < (TILE_M * TILE_K) / TILE_THREADS; l++) {
            int idx = tid + l * TILE_THREADS;
            int am = idx / TILE_K, ak = idx % TILE_K;      // k fastest: rows of A are contiguous in k
            int m = m0 + am, k = k0 + ak;
            As[ak][am] = (m < M && k < kEnd) ? loadA(m, k) : 0.f;
            int bn = idx % TILE_N, bk = idx / TILE_N;      // n fastest: rows of B are contiguous in n
            int n = n0 + bn, kb = k0 + bk;
            Bs[bk][bn] = (n < N && kb < kEnd) ? loadB(kb, n) : 0.f;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < TILE_K; kk++) {
            float a[4], b[4];
#pragma unroll
            for (int i = 0; i < 4; i++) a[i] = As[kk][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < 4; j++) b[j] = Bs[kk][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) {
            int m = m0 + ty + 16 * i, n = n0 + tx + 16 * j;
            if (m < M && n < N) store(m, n, acc[i][j]);
        }
}

// The k range of split blockIdx.z when K is cut into gridDim.z slices of whole tiles.
__device__ __forceinline__ void split_k_range(int K, int* kBegin, int* kEnd) {
    int tiles = (K + TILE_K - 1) / TILE_K;
    int per = (tiles + gridDim.z - 1) / gridDim.z;
    int b = blockIdx.z * per * TILE_K;
    int e = b + per * TILE_K;
    *kBegin = b < K ? b : K;
    *kEnd = e < K ? e : K;
}
