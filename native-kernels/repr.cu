// RePr kernels: masked row scaling, and the inter-filter orthogonality of one layer whose J
// filters are the rows of W (J x D): Gram matrix of the normalised rows, then one score per filter.
#include "common.cuh"

// t[r, :] *= rowScale[r] for t viewed as rows x rowLen (dropping filters, masking their state).
extern "C" __global__ void scale_rows(float* t, const float* rowScale, int rows, int rowLen) {
    GRID_STRIDE(i, (long long)rows * rowLen) t[i] = t[i] * rowScale[i / rowLen];
}

// sumsq[f] = squared L2 norm of row f, in double. One block per row.
extern "C" __global__ void repr_row_sumsq(const float* w, int J, int D, double* sumsq) {
    int f = blockIdx.x;
    double acc = 0.0;
    for (int k = threadIdx.x; k < D; k += blockDim.x) { double v = w[(long long)f * D + k]; acc += v * v; }
    acc = block_sum_d(acc);
    if (threadIdx.x == 0) sumsq[f] = acc;
}

// G[f, j] (double) = <w_f, w_j> / (|w_f| |w_j|) (perFilter = 1; zero rows give 0) or <w_f, w_j> / |W|_F^2
// (perFilter = 0). One warp per entry; block 256.
extern "C" __global__ void repr_filter_gram(const float* w, const double* sumsq, int J, int D, int perFilter, double* G) {
    long long e = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    int lane = threadIdx.x & 31;
    if (e >= (long long)J * J) return;
    int f = (int)(e / J), j = (int)(e % J);
    double dot = 0.0;
    for (int k = lane; k < D; k += 32) dot += (double)w[(long long)f * D + k] * (double)w[(long long)j * D + k];
    dot = warp_sum_d(dot);
    if (lane != 0) return;
    double scale;
    if (perFilter) {
        double nf = sqrt(sumsq[f]), nj = sqrt(sumsq[j]);
        scale = (nf > 0.0 ? 1.0 / nf : 0.0) * (nj > 0.0 ? 1.0 / nj : 0.0);
    } else {
        double total = 0.0;
        for (int r = 0; r < J; r++) total += sumsq[r];
        scale = total > 0.0 ? 1.0 / total : 0.0;
    }
    G[e] = dot * scale;
}

// scores[f] = sum_{j != f} |G[f, j]| / J (absPerElement) or |sum_{j != f} G[f, j] / J|.
extern "C" __global__ void repr_ortho_scores(const double* G, int J, int absPerElement, float* scores) {
    int f = blockIdx.x * blockDim.x + threadIdx.x;
    if (f >= J) return;
    double acc = 0.0;
    for (int j = 0; j < J; j++) {
        if (j == f) continue;
        double v = G[(long long)f * J + j];
        acc += absPerElement ? fabs(v) : v;
    }
    scores[f] = (float)(absPerElement ? acc / J : fabs(acc / J));
}
