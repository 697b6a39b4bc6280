// Max and average pooling over NCHW (PyTorch floor mode; padded cells are -inf for max and count
// as zeros for average). The backward kernels gather per input element, so overlapping windows
// accumulate in a fixed order without atomics.
#include "common.cuh"

struct PoolDims {
    int B, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW;
};

// Flat index (kh * KW + kw) of the maximal cell of window (oh, ow): the first maximum in
// row-major order, or the first NaN (as the CPU backend: NaN ranks above everything and later
// equal keys never win); the window always holds a real cell.
__device__ __forceinline__ int window_argmax(const float* plane, const PoolDims& d, int oh, int ow) {
    int hs = oh * d.SH - d.PH, ws = ow * d.SW - d.PW;
    int h0 = hs > 0 ? hs : 0, w0 = ws > 0 ? ws : 0;
    int he = hs + d.KH < d.H ? hs + d.KH : d.H, we = ws + d.KW < d.W ? ws + d.KW : d.W;
    int best = (h0 - hs) * d.KW + (w0 - ws);
    float bestV = -INFINITY;
    for (int ih = h0; ih < he; ih++)
        for (int iw = w0; iw < we; iw++) {
            float v = plane[ih * d.W + iw];
            if (v > bestV || (v != v && bestV == bestV)) { bestV = v; best = (ih - hs) * d.KW + (iw - ws); }
        }
    return best;
}

// y = the window maximum (the value at its first maximum); argmax (when not null) = that position in the
// kernel window, row * KW + col, for the backward.
extern "C" __global__ void maxpool2d_fwd(const float* x, float* y, float* argmax, PoolDims d) {
    GRID_STRIDE(i, (long long)d.B * d.C * d.OH * d.OW) {
        int ow = i % d.OW, oh = (i / d.OW) % d.OH;
        long long p = i / ((long long)d.OH * d.OW);
        const float* plane = x + p * d.H * d.W;
        int a = window_argmax(plane, d, oh, ow);
        y[i] = plane[(oh * d.SH - d.PH + a / d.KW) * d.W + (ow * d.SW - d.PW + a % d.KW)];
        if (argmax) argmax[i] = (float)a;
    }
}

// Windows (oh range, ow range) that contain input cell (ih, iw).
__device__ __forceinline__ void covering(int i, int k, int s, int p, int outN, int* lo, int* hi) {
    int t = i + p - k + 1;                       // smallest o with o*s - p + k - 1 >= i
    int l = t <= 0 ? 0 : (t + s - 1) / s;
    int h = (i + p) / s;                         // largest o with o*s - p <= i
    *lo = l;
    *hi = h < outN - 1 ? h : outN - 1;
}

// Gathers per input cell the dy of every window whose recorded maximum is this cell (no atomics).
extern "C" __global__ void maxpool2d_bwd(const float* argmax, const float* dy, float* dx, PoolDims d) {
    GRID_STRIDE(i, (long long)d.B * d.C * d.H * d.W) {
        int iw = i % d.W, ih = (i / d.W) % d.H;
        long long p = i / ((long long)d.H * d.W);
        int ohLo, ohHi, owLo, owHi;
        covering(ih, d.KH, d.SH, d.PH, d.OH, &ohLo, &ohHi);
        covering(iw, d.KW, d.SW, d.PW, d.OW, &owLo, &owHi);
        float acc = 0.f;
        for (int oh = ohLo; oh <= ohHi; oh++)
            for (int ow = owLo; ow <= owHi; ow++) {
                long long o = (p * d.OH + oh) * d.OW + ow;
                int a = (int)argmax[o];
                if (oh * d.SH - d.PH + a / d.KW == ih && ow * d.SW - d.PW + a % d.KW == iw) acc += dy[o];
            }
        dx[i] = acc;
    }
}

// Sum in double as the CPU backend does (per window row four interleaved partial sums, rows added
// in order), times 1 / (KH * KW) in double, rounded once.
extern "C" __global__ void avgpool2d_fwd(const float* x, float* y, PoolDims d) {
    double inv = 1.0 / ((double)d.KH * d.KW);
    GRID_STRIDE(i, (long long)d.B * d.C * d.OH * d.OW) {
        int ow = i % d.OW, oh = (i / d.OW) % d.OH;
        const float* plane = x + (i / ((long long)d.OH * d.OW)) * d.H * d.W;
        int hs = oh * d.SH - d.PH, ws = ow * d.SW - d.PW;
        int h0 = hs > 0 ? hs : 0, w0 = ws > 0 ? ws : 0;
        int he = hs + d.KH < d.H ? hs + d.KH : d.H, we = ws + d.KW < d.W ? ws + d.KW : d.W;
        double s = 0.0;
        for (int ih = h0; ih < he; ih++) {
            const float* row = plane + ih * d.W;
            double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
            int iw = w0;
            for (; iw + 3 < we; iw += 4) { s0 += row[iw]; s1 += row[iw + 1]; s2 += row[iw + 2]; s3 += row[iw + 3]; }
            for (; iw < we; iw++) s0 += row[iw];
            s += (s0 + s1) + (s2 + s3);
        }
        y[i] = (float)(s * inv);
    }
}

// Each window adds dy * (1 / (KH * KW)) (rounded to float) to its cells, windows in row-major order:
// the CPU backend's scatter, gathered per input cell.
extern "C" __global__ void avgpool2d_bwd(const float* dy, float* dx, PoolDims d) {
    float inv = (float)(1.0 / ((double)d.KH * d.KW));
    GRID_STRIDE(i, (long long)d.B * d.C * d.H * d.W) {
        int iw = i % d.W, ih = (i / d.W) % d.H;
        long long p = i / ((long long)d.H * d.W);
        int ohLo, ohHi, owLo, owHi;
        covering(ih, d.KH, d.SH, d.PH, d.OH, &ohLo, &ohHi);
        covering(iw, d.KW, d.SW, d.PW, d.OW, &owLo, &owHi);
        float acc = 0.f;
        for (int oh = ohLo; oh <= ohHi; oh++)
            for (int ow = owLo; ow <= owHi; ow++) acc += dy[(p * d.OH + oh) * d.OW + ow] * inv;
        dx[i] = acc;
    }
}
