// RePr kernels: masked row scaling, and the inter-filter orthogonality of one layer whose J
// filters are the rows of W (J x D): Gram matrix of the normalised rows, then one score per filter.
#include "philox.cuh"

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

// ---- moving rows (the dropped filters' pre-drop values, restores, fresh default-init rows) -------

// dst[i, :] = src[rows[i], :] for i < m; rows of rowLen floats.
extern "C" __global__ void gather_rows(const float* src, const int* rows, int m, int rowLen, float* dst) {
    GRID_STRIDE(i, (long long)m * rowLen) dst[i] = src[(long long)rows[i / rowLen] * rowLen + i % rowLen];
}

// dst[rows[i], :] = src[i, :] for i < m.
extern "C" __global__ void scatter_rows(const float* src, const int* rows, int m, int rowLen, float* dst) {
    GRID_STRIDE(i, (long long)m * rowLen) dst[(long long)rows[i / rowLen] * rowLen + i % rowLen] = src[i];
}

// ---- null-space re-initialisation ------------------------------------------------------------------
// One block (256 threads) re-initialises the m dropped rows of one layer's weight W (J x D), in double:
//  1. the constraints, in order (the kept filters by decreasing overlap, then the dropped filters'
//     pre-drop values), are orthonormalised by classical Gram-Schmidt applied twice ("twice is
//     enough", Giraud et al. 2005), a constraint whose residual is below 1e-9 of its norm counting as
//     dependent; the first min(budget, rank) of them form the space the new filters must avoid
//     (budget = D - m: the m new filters still fit, orthonormal among themselves).
//  2. each new filter is a Philox normal draw projected onto the orthogonal complement of that space
//     and of the new filters before it (the same Gram-Schmidt), normalised, scaled and written as
//     float32 into its row; its bias becomes 0.
//  3. it measures the written rows: per new filter the largest |cos| with a kept filter, the |cos| with
//     its own old value, and its norm.
// Why Gram-Schmidt rather than Householder QR: the constraints are taken one at a time and each must be
// tested for dependence against the ones before (a Householder QR would have to be redone from the
// first dependent column), the sizes are small (J <= 512, D <= 4608), and CGS2 runs as wide dot
// products and updates across the block with a fixed order, so the result is deterministic.
// Workspace: Q holds (nKept + 2 m) x D doubles, v 2 D doubles, dots (nKept + 2 m) doubles.

// |v| for a vector of D doubles spread over the block, in every thread.
__device__ double block_norm(const double* v, int D) {
    double s = 0;
    for (int k = threadIdx.x; k < D; k += blockDim.x) s += v[k] * v[k];
    return sqrt(block_allsum_d(s));
}

__device__ double block_allmax(double v) {
    __shared__ double part[256];
    part[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) part[threadIdx.x] = fmax(part[threadIdx.x], part[threadIdx.x + s]);
        __syncthreads();
    }
    double r = part[0];
    __syncthreads();
    return r;
}

// Adds v's component orthogonal to Q[0..rank) as a new unit row Q[rank] (returns true), unless v is zero,
// the space is full, or the residual is below 1e-9 of |v| (dependent: returns false). v is overwritten.
__device__ bool gs_add(double* Q, int* rank, double* v, double* dots, int D) {
    int r = *rank;
    double n0 = block_norm(v, D);
    if (n0 == 0.0 || r >= D) return false;
    for (int pass = 0; pass < 2; pass++) {
        for (int t = threadIdx.x; t < r; t += blockDim.x) {
            double s = 0;
            for (int k = 0; k < D; k++) s += Q[(long long)t * D + k] * v[k];
            dots[t] = s;
        }
        __syncthreads();
        for (int k = threadIdx.x; k < D; k += blockDim.x) {
            double s = 0;
            for (int t = 0; t < r; t++) s += dots[t] * Q[(long long)t * D + k];
            v[k] -= s;
        }
        __syncthreads();
    }
    double n = block_norm(v, D);
    if (n <= 1e-9 * n0) return false;
    for (int k = threadIdx.x; k < D; k += blockDim.x) Q[(long long)r * D + k] = v[k] / n;
    __syncthreads();
    *rank = r + 1;
    return true;
}

// scaleMode: 0 every new filter gets norm `target`; 1 the mean norm of the kept filters (target when
// none is kept); 2 unit vectors clamped element-wise to +-1/sqrt(D). counts: [constraints used, rank of
// all constraints, Philox blocks consumed]; report: per new filter {max |cos| with kept, |cos| with old, norm}.
extern "C" __global__ void __launch_bounds__(256)
repr_reinit_null_space(float* w, float* bias, int J, int D, const int* keptOrder, int nKept, const float* oldRows,
                       const int* dropped, int m, int budget, int scaleMode, double target,
                       unsigned long long seed, unsigned long long offset, double* Q, double* v, double* dots,
                       int* counts, double* report) {
    int rank = 0;
    double* before = v + D;
    // 1. constraints: kept filters in the given order, then the old values
    for (int c = 0; c < nKept + m; c++) {
        const float* src = c < nKept ? w + (long long)keptOrder[c] * D : oldRows + (long long)(c - nKept) * D;
        for (int k = threadIdx.x; k < D; k += blockDim.x) v[k] = src[k];
        __syncthreads();
        gs_add(Q, &rank, v, dots, D);
    }
    int used = rank < budget ? rank : budget;
    int wanted = rank;
    rank = used;                                   // the new filters avoid only the constraints that fit
    // 2. new filters
    unsigned long long consumed = 0, perDraw = (unsigned long long)(D + 1) / 2;
    double scale = target, clip = 0;
    if (scaleMode == 1 && nKept > 0) {
        double s = 0;
        for (int t = threadIdx.x; t < nKept; t += blockDim.x) {
            double q = 0;
            for (int k = 0; k < D; k++) { double x = w[(long long)keptOrder[t] * D + k]; q += x * x; }
            s += sqrt(q);
        }
        scale = block_allsum_d(s) / nKept;
    } else if (scaleMode == 2) {
        scale = 1.0;
        clip = 1.0 / sqrt((double)D);
    }
    for (int i = 0; i < m; i++) {
        bool added = false;
        for (int attempt = 0; attempt < 4 && !added; attempt++) {
            unsigned long long off = offset + consumed;
            consumed += perDraw;
            for (int k = threadIdx.x; k < D; k += blockDim.x) before[k] = v[k] = (double)philox_normal(seed, off, k);
            __syncthreads();
            if (rank >= D) break;                  // no room: a plain random unit vector, not added
            added = gs_add(Q, &rank, v, dots, D);
            if (!added && attempt < 3) continue;
            break;
        }
        // the direction: the newest basis row when added, else the last draw normalised
        const double* dir = added ? Q + (long long)(rank - 1) * D : before;
        double n = added ? 1.0 : block_norm(before, D);
        float* row = w + (long long)dropped[i] * D;
        for (int k = threadIdx.x; k < D; k += blockDim.x) {
            double x = (n > 0 ? dir[k] / n : dir[k]) * scale;
            if (scaleMode == 2) x = x < -clip ? -clip : x > clip ? clip : x;
            row[k] = (float)x;
        }
        if (threadIdx.x == 0 && bias) bias[dropped[i]] = 0.f;
        __syncthreads();
    }
    // 3. measure the written float32 rows
    for (int i = 0; i < m; i++) {
        const float* row = w + (long long)dropped[i] * D;
        const float* old = oldRows + (long long)i * D;
        double nn = 0, no = 0, dno = 0;
        for (int k = threadIdx.x; k < D; k += blockDim.x) {
            double a = row[k], b = old[k];
            nn += a * a; no += b * b; dno += a * b;
        }
        nn = sqrt(block_allsum_d(nn));
        no = sqrt(block_allsum_d(no));
        dno = block_allsum_d(dno);
        double mk = 0;
        for (int t = threadIdx.x; t < nKept; t += blockDim.x) {
            const float* kr = w + (long long)keptOrder[t] * D;
            double d = 0, nk = 0;
            for (int k = 0; k < D; k++) { double a = row[k], b = kr[k]; d += a * b; nk += b * b; }
            nk = sqrt(nk);
            double c = nn == 0 || nk == 0 ? 0 : fabs(d) / (nn * nk);
            mk = c > mk ? c : mk;
        }
        mk = block_allmax(mk);
        if (threadIdx.x == 0) {
            report[3 * i] = mk;
            report[3 * i + 1] = nn == 0 || no == 0 ? 0 : fabs(dno) / (nn * no);
            report[3 * i + 2] = nn;
        }
    }
    if (threadIdx.x == 0) { counts[0] = used; counts[1] = wanted; counts[2] = (int)consumed; }
}
