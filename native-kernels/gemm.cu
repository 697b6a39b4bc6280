// Dense GEMM: C = alpha * op(A) op(B) + beta * C on row-major matrices (Backend.gemm).
// sgemm_tiled is the exact FP32 path; sgemm_tf32_wmma uses the tensor cores in TF32 (10-bit
// mantissa inputs, FP32 accumulation) and is chosen only when the user asks for it.
#include "gemm_tile.cuh"
#include <mma.h>

struct RowMajorA {   // op(A)[m, k]
    const float* a; int M, K, trans;
    __device__ float operator()(int m, int k) const { return trans ? a[(long long)k * M + m] : a[(long long)m * K + k]; }
};
struct RowMajorB {   // op(B)[k, n]
    const float* b; int K, N, trans;
    __device__ float operator()(int k, int n) const { return trans ? b[(long long)n * K + k] : b[(long long)k * N + n]; }
};
struct ScaledStore {
    float* c; int N; float alpha, beta;
    __device__ void operator()(int m, int n, float acc) const {
        long long i = (long long)m * N + n;
        c[i] = beta == 0.f ? alpha * acc : alpha * acc + beta * c[i];   // beta = 0 ignores NaNs in C
    }
};

// grid (ceil(N/64), ceil(M/64)), block 256.
extern "C" __global__ void __launch_bounds__(TILE_THREADS)
sgemm_tiled(int transA, int transB, int M, int N, int K, float alpha, const float* A, const float* B,
            float beta, float* C) {
    gemm_tile_64x64(M, N, 0, K, RowMajorA{A, M, K, transA}, RowMajorB{B, K, N, transB},
                    ScaledStore{C, N, alpha, beta});
}

// TF32 tensor-core GEMM: a block of 4 warps computes a 32 x 32 tile, each warp one 16 x 16
// wmma accumulator; k advances 8 at a time through shared memory. grid (ceil(N/32), ceil(M/32)), block 128.
extern "C" __global__ void __launch_bounds__(128)
sgemm_tf32_wmma(int transA, int transB, int M, int N, int K, float alpha, const float* A, const float* B,
                float beta, float* C) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    using namespace nvcuda;
    __shared__ __align__(32) float As[32][8];
    __shared__ __align__(32) float Bs[8][32];
    __shared__ __align__(32) float Cs[32][32];
    const int tid = threadIdx.x, warp = tid >> 5;
    const int m0 = blockIdx.y * 32, n0 = blockIdx.x * 32;
    const int wm = (warp >> 1) * 16, wn = (warp & 1) * 16;
    RowMajorA la{A, M, K, transA};
    RowMajorB lb{B, K, N, transB};
    wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc;
    wmma::fill_fragment(acc, 0.f);
    for (int k0 = 0; k0 < K; k0 += 8) {
        for (int idx = tid; idx < 256; idx += 128) {
            int am = idx >> 3, ak = idx & 7;
            As[am][ak] = (m0 + am < M && k0 + ak < K) ? la(m0 + am, k0 + ak) : 0.f;
            int bk = idx >> 5, bn = idx & 31;
            Bs[bk][bn] = (n0 + bn < N && k0 + bk < K) ? lb(k0 + bk, n0 + bn) : 0.f;
        }
        __syncthreads();
        wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fa;
        wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fb;
        wmma::load_matrix_sync(fa, &As[wm][0], 8);
        wmma::load_matrix_sync(fb, &Bs[0][wn], 32);
        for (int t = 0; t < fa.num_elements; t++) fa.x[t] = wmma::__float_to_tf32(fa.x[t]);
        for (int t = 0; t < fb.num_elements; t++) fb.x[t] = wmma::__float_to_tf32(fb.x[t]);
        wmma::mma_sync(acc, fa, fb, acc);
        __syncthreads();
    }
    wmma::store_matrix_sync(&Cs[wm][wn], acc, 32, wmma::mem_row_major);
    __syncthreads();
    ScaledStore st{C, N, alpha, beta};
    for (int idx = tid; idx < 1024; idx += 128) {
        int r = idx >> 5, c = idx & 31;
        if (m0 + r < M && n0 + c < N) st(m0 + r, n0 + c, Cs[r][c]);
    }
#else
    REAPER_DEVICE_ONLY();
#endif
}
