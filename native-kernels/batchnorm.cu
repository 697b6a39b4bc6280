// Batch norm 2-d over NCHW, per channel over (N, H, W), PyTorch semantics. The statistics use a
// two-pass mean / variance in double, one block per channel (deterministic order).
#include "common.cuh"

// One block per channel: saveMean, saveInvStd = 1/sqrt(biased var + eps), scale = gamma * invStd
// (from the double invStd, rounded once, as the CPU backend does), and the running stats (running
// var uses the unbiased variance, var * M / (M - 1), in the CPU's order).
extern "C" __global__ void bn_train_stats(const float* x, const float* gamma, int B, int C, int HW, float momentum, float eps,
                                          float* runningMean, float* runningVar, float* saveMean, float* saveInvStd, float* scale) {
    int c = blockIdx.x;
    long long count = (long long)B * HW;
    double s = 0.0;
    for (long long i = threadIdx.x; i < count; i += blockDim.x)
        s += x[((i / HW) * C + c) * HW + i % HW];
    double mean = block_allsum_d(s) / count;
    double q = 0.0;
    for (long long i = threadIdx.x; i < count; i += blockDim.x) {
        double d = x[((i / HW) * C + c) * HW + i % HW] - mean;
        q += d * d;
    }
    double var = block_allsum_d(q) / count;
    if (threadIdx.x == 0) {
        double invStd = 1.0 / sqrt(var + (double)eps);
        saveMean[c] = (float)mean;
        saveInvStd[c] = (float)invStd;
        scale[c] = (float)((double)gamma[c] * invStd);
        runningMean[c] = (float)((1.0 - momentum) * runningMean[c] + momentum * mean);
        runningVar[c] = (float)((1.0 - momentum) * runningVar[c] + momentum * var * count / (count - 1));
    }
}

// y = (x - mean[c]) * scale[c] + beta[c], optionally followed by ReLU (fused BN+ReLU: relu_fwd's expression, so
// NaN stays NaN and -0 becomes +0, the same bits as the two kernels).
extern "C" __global__ void bn_apply(const float* x, const float* mean, const float* scale, const float* beta,
                                    int B, int C, int HW, int fuseRelu, float* y) {
    GRID_STRIDE(i, (long long)B * C * HW) {
        int c = (int)((i / HW) % C);
        float v = (x[i] - mean[c]) * scale[c] + beta[c];
        y[i] = !fuseRelu || v != v ? v : v > 0.f ? v : 0.f;
    }
}

// Eval mode with the running statistics: scale = gamma / sqrt(runningVar + eps) in double.
extern "C" __global__ void bn_eval_apply(const float* x, const float* gamma, const float* beta, const float* runningMean,
                                         const float* runningVar, float eps, int B, int C, int HW, float* y) {
    GRID_STRIDE(i, (long long)B * C * HW) {
        int c = (int)((i / HW) % C);
        double invStd = 1.0 / sqrt((double)runningVar[c] + (double)eps);
        float scale = (float)((double)gamma[c] * invStd);
        y[i] = (x[i] - runningMean[c]) * scale + beta[c];
    }
}

// The gradient batch norm sees: dy, or for fused BN+ReLU (reluY, the block's output, not null) dy where the
// output is positive, else 0 (relu_bwd's expression: the same bits as the two kernels).
__device__ __forceinline__ float bn_dy(const float* dy, const float* reluY, long long j) {
    return reluY == nullptr || reluY[j] > 0.f ? dy[j] : 0.f;
}

// One block per channel, in double as the CPU backend: dbeta = sum dy, dgamma = invStd * sum dy (x - mean)
// with x - mean taken in double, and the coefficients of dx = a dy + bx (x - mean) + shift computed from
// the unrounded sums: a = gamma invStd, bx = -a invStd dgamma / M, shift = -a dbeta / M (coeffs[3c + 0..2]).
// reluY: null, or the fused BN+ReLU's output (see bn_dy).
extern "C" __global__ void bn_bwd_reduce(const float* x, const float* dy, const float* reluY, const float* gamma, const float* saveMean,
                                         const float* saveInvStd, int B, int C, int HW, float* dgamma, float* dbeta, float* coeffs) {
    int c = blockIdx.x;
    long long count = (long long)B * HW;
    double mean = saveMean[c];
    double sdy = 0.0, sdyx = 0.0;
    for (long long i = threadIdx.x; i < count; i += blockDim.x) {
        long long j = ((i / HW) * C + c) * HW + i % HW;
        double g = bn_dy(dy, reluY, j);
        sdy += g;
        sdyx += g * ((double)x[j] - mean);
    }
    sdy = block_allsum_d(sdy);
    sdyx = block_allsum_d(sdyx);
    if (threadIdx.x == 0) {
        double invStd = saveInvStd[c], m = (double)count;
        double sumDyXhat = sdyx * invStd;
        dbeta[c] = (float)sdy;
        dgamma[c] = (float)sumDyXhat;
        double k = gamma[c] * invStd;
        coeffs[3 * c] = (float)k;
        coeffs[3 * c + 1] = (float)(-k * invStd * sumDyXhat / m);
        coeffs[3 * c + 2] = (float)(-k * sdy / m);
    }
}

// dx = a * dy + bx * (x - mean) + shift, per channel, in float (the CPU backend's expression).
extern "C" __global__ void bn_bwd_dx(const float* x, const float* dy, const float* reluY, const float* saveMean, const float* coeffs,
                                     int B, int C, int HW, float* dx) {
    GRID_STRIDE(i, (long long)B * C * HW) {
        int c = (int)((i / HW) % C);
        dx[i] = coeffs[3 * c] * bn_dy(dy, reluY, i) + coeffs[3 * c + 1] * (x[i] - saveMean[c]) + coeffs[3 * c + 2];
    }
}
