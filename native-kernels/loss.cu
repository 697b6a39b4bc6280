// Softmax cross-entropy with label smoothing (target = (1 - s) * onehot + s / C) and accuracy.
// One warp per row of logits[N, C]; labels are floats holding class indices.
#include "common.cuh"

__device__ __forceinline__ float warp_max_f(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

__device__ __forceinline__ double warp_allsum_d(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

// A label is a class index stored as a float: a whole number in [0, C). Anything else cannot be
// reported from the device, so it poisons its row (loss and gradient become NaN) instead of
// silently training without a target.
__device__ __forceinline__ int label_of(float v, int C) {
    int k = (int)v;
    return ((float)k == v && k >= 0 && k < C) ? k : -1;
}

// block 256 (8 rows per block), grid ceil(N / 8).
extern "C" __global__ void softmax_xent_fwd(const float* logits, const float* labels, int N, int C, float smoothing,
                                            float* probs, float* loss) {
    int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), lane = threadIdx.x & 31;
    if (row >= N) return;
    const float* x = logits + (long long)row * C;
    float mx = -INFINITY;
    for (int c = lane; c < C; c += 32) mx = fmaxf(mx, x[c]);
    mx = warp_max_f(mx);
    double se = 0.0, sz = 0.0;
    for (int c = lane; c < C; c += 32) { double z = (double)x[c] - mx; se += exp(z); sz += z; }
    se = warp_allsum_d(se);
    sz = warp_allsum_d(sz);
    double logSum = log(se);
    float* p = probs + (long long)row * C;
    for (int c = lane; c < C; c += 32) p[c] = (float)exp((double)x[c] - mx - logSum);
    if (lane == 0) {
        int y = label_of(labels[row], C);
        double s = smoothing;
        double logpLabel = y >= 0 ? (double)x[y] - mx - logSum : NAN;
        loss[row] = (float)(-(1.0 - s) * logpLabel - s / C * (sz - C * logSum));
    }
}

// dlogits = scale * (probs - target); NaN for a row whose label is not a class index.
extern "C" __global__ void softmax_xent_bwd(const float* probs, const float* labels, int N, int C, float smoothing,
                                            float scale, float* dlogits) {
    float off = smoothing / C, on = 1.0f - smoothing + off;
    GRID_STRIDE(i, (long long)N * C) {
        int r = (int)(i / C), c = (int)(i % C);
        int y = label_of(labels[r], C);
        float target = c == y ? on : off;
        dlogits[i] = y < 0 ? NAN : scale * (probs[i] - target);
    }
}

// count[0] += number of rows whose first maximal column equals the label (count zeroed by the caller).
extern "C" __global__ void count_correct(const float* logits, const float* labels, int N, int C, int* count) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    int hit = 0;
    if (r < N) {
        const float* x = logits + (long long)r * C;
        int best = 0;
        for (int c = 1; c < C; c++) if (x[c] > x[best]) best = c;
        hit = best == label_of(labels[r], C);
    }
    hit = __syncthreads_count(hit);
    if (threadIdx.x == 0 && hit) atomicAdd(count, hit);
}
