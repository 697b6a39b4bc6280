// 2-D convolution (NCHW activations, OIHW weights, groups 1) as implicit GEMMs: the im2col
// matrix is never materialised; the tile loaders gather it from the activations.
//   forward:         Y[o, (b,oh,ow)]   = W[o, (c,kh,kw)]  * X~[(c,kh,kw), (b,oh,ow)]  (+ bias)
//   backward data:   dX[c, (b,ih,iw)]  = W^T[c, (o,kh,kw)] * dY~[(o,kh,kw), (b,ih,iw)]
//   backward filter: dW[o, (c,kh,kw)]  = dY[o, (b,oh,ow)] * X~^T[(b,oh,ow), (c,kh,kw)], split over k
#include "gemm_tile.cuh"

struct ConvDims {
    int B, C, H, W, O, KH, KW, SH, SW, PH, PW, OH, OW;
};

__device__ __forceinline__ float load_input(const float* x, const ConvDims& d, int b, int c, int ih, int iw) {
    return (ih >= 0 && ih < d.H && iw >= 0 && iw < d.W) ? x[(((long long)b * d.C + c) * d.H + ih) * d.W + iw] : 0.f;
}

struct FwdWeights {    // A[o, (c,kh,kw)]: the OIHW weights are already this matrix
    const float* w; int K;
    __device__ float operator()(int o, int k) const { return w[(long long)o * K + k]; }
};
struct FwdPatches {    // B[(c,kh,kw), (b,oh,ow)]
    const float* x; ConvDims d;
    __device__ float operator()(int k, int n) const {
        int kw = k % d.KW, t = k / d.KW, kh = t % d.KH, c = t / d.KH;
        int ow = n % d.OW; t = n / d.OW; int oh = t % d.OH, b = t / d.OH;
        return load_input(x, d, b, c, oh * d.SH - d.PH + kh, ow * d.SW - d.PW + kw);
    }
};
struct FwdStore {
    float* y; const float* bias; ConvDims d;
    __device__ void operator()(int o, int n, float acc) const {
        int ohw = n % (d.OH * d.OW), b = n / (d.OH * d.OW);
        y[((long long)b * d.O + o) * (d.OH * d.OW) + ohw] = bias ? acc + bias[o] : acc;
    }
};

// grid (ceil(B*OH*OW/64), ceil(O/64)), block 256. bias may be null.
extern "C" __global__ void __launch_bounds__(TILE_THREADS)
conv2d_fwd_implicit_gemm(const float* x, const float* w, const float* bias, float* y, ConvDims d) {
    int K = d.C * d.KH * d.KW;
    gemm_tile_64x64(d.O, d.B * d.OH * d.OW, 0, K, FwdWeights{w, K}, FwdPatches{x, d}, FwdStore{y, bias, d});
}

struct BwdDataWeights {  // A[c, (o,kh,kw)] = W[o, c, kh, kw]
    const float* w; ConvDims d;
    __device__ float operator()(int c, int k) const {
        int khw = k % (d.KH * d.KW), o = k / (d.KH * d.KW);
        return w[((long long)o * d.C + c) * (d.KH * d.KW) + khw];
    }
};
struct BwdDataGrads {    // B[(o,kh,kw), (b,ih,iw)] = dY[b, o, oh, ow] where ih = oh*SH - PH + kh, else 0
    const float* dy; ConvDims d;
    __device__ float operator()(int k, int n) const {
        int kw = k % d.KW, t = k / d.KW, kh = t % d.KH, o = t / d.KH;
        int iw = n % d.W; t = n / d.W; int ih = t % d.H, b = t / d.H;
        int th = ih + d.PH - kh, tw = iw + d.PW - kw;
        if (th < 0 || tw < 0 || th % d.SH != 0 || tw % d.SW != 0) return 0.f;
        int oh = th / d.SH, ow = tw / d.SW;
        if (oh >= d.OH || ow >= d.OW) return 0.f;
        return dy[(((long long)b * d.O + o) * d.OH + oh) * d.OW + ow];
    }
};
struct BwdDataStore {
    float* dx; ConvDims d;
    __device__ void operator()(int c, int n, float acc) const {
        int hw = n % (d.H * d.W), b = n / (d.H * d.W);
        dx[((long long)b * d.C + c) * (d.H * d.W) + hw] = acc;
    }
};

// grid (ceil(B*H*W/64), ceil(C/64)), block 256.
extern "C" __global__ void __launch_bounds__(TILE_THREADS)
conv2d_bwd_data_implicit_gemm(const float* dy, const float* w, float* dx, ConvDims d) {
    gemm_tile_64x64(d.C, d.B * d.H * d.W, 0, d.O * d.KH * d.KW, BwdDataWeights{w, d}, BwdDataGrads{dy, d},
                    BwdDataStore{dx, d});
}

struct BwdFilterGrads {   // A[o, (b,oh,ow)] = dY[b, o, oh, ow]
    const float* dy; ConvDims d;
    __device__ float operator()(int o, int k) const {
        int ohw = k % (d.OH * d.OW), b = k / (d.OH * d.OW);
        return dy[((long long)b * d.O + o) * (d.OH * d.OW) + ohw];
    }
};
struct BwdFilterPatches { // B[(b,oh,ow), (c,kh,kw)] = X[b, c, oh*SH - PH + kh, ow*SW - PW + kw]
    const float* x; ConvDims d;
    __device__ float operator()(int k, int n) const {
        int ow = k % d.OW, t = k / d.OW, oh = t % d.OH, b = t / d.OH;
        int kw = n % d.KW; t = n / d.KW; int kh = t % d.KH, c = t / d.KH;
        return load_input(x, d, b, c, oh * d.SH - d.PH + kh, ow * d.SW - d.PW + kw);
    }
};
struct SliceStore {       // partial sums of split z go to workspace[z][m][n]
    float* ws; int M, N;
    __device__ void operator()(int m, int n, float acc) const {
        ws[((long long)blockIdx.z * M + m) * N + n] = acc;
    }
};

// grid (ceil(C*KH*KW/64), ceil(O/64), splits), block 256; writes splits partial dW's into workspace.
extern "C" __global__ void __launch_bounds__(TILE_THREADS)
conv2d_bwd_filter_implicit_gemm(const float* x, const float* dy, float* workspace, ConvDims d) {
    int M = d.O, N = d.C * d.KH * d.KW, K = d.B * d.OH * d.OW, kBegin, kEnd;
    split_k_range(K, &kBegin, &kEnd);
    gemm_tile_64x64(M, N, kBegin, kEnd, BwdFilterGrads{dy, d}, BwdFilterPatches{x, d}, SliceStore{workspace, M, N});
}

// out[i] = sum over z of workspace[z][i], in fixed order (deterministic split-k).
extern "C" __global__ void split_k_reduce(const float* workspace, int splits, int n, float* out) {
    GRID_STRIDE(i, n) {
        float acc = 0.f;
        for (int z = 0; z < splits; z++) acc += workspace[(long long)z * n + i];
        out[i] = acc;
    }
}

// dbias[o] = sum over b, oh, ow of dY[b, o, oh, ow]. One block per output channel.
extern "C" __global__ void conv2d_bias_grad(const float* dy, int B, int O, int HW, float* dbias) {
    int o = blockIdx.x;
    double acc = 0.0;
    for (long long i = threadIdx.x; i < (long long)B * HW; i += blockDim.x) {
        long long b = i / HW, hw = i % HW;
        acc += dy[(b * O + o) * HW + hw];
    }
    acc = block_sum_d(acc);
    if (threadIdx.x == 0) dbias[o] = (float)acc;
}
