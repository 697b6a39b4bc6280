// Batch norm 2-d over NCHW, per channel over (N, H, W), PyTorch semantics. The statistics use a
// two-pass mean / variance in double, one block per channel (deterministic order).
#include "common.cuh"

__device__ __forceinline__ double block_broadcast_sum(double v) {
    __shared__ double total;
    v = block_sum_d(v);
    if (threadIdx.x == 0) total = v;
    __syncthreads();
    double t = total;
    __syncthreads();
    return t;
}

// One block per channel: saveMean, saveInvStd = 1/sqrt(biased var + eps), and the running stats
// (running var uses the unbiased variance).
extern "C" __global__ void bn_train_stats(const float* x, int B, int C, int HW, float momentum, float eps,
                                          float* runningMean, float* runningVar, float* saveMean, float* saveInvStd) {
    int c = blockIdx.x;
    long long count = (long long)B * HW;
    double s = 0.0;
    for (long long i = threadIdx.x; i < count; i += blockDim.x)
        s += x[((i / HW) * C + c) * HW + i % HW];
    double mean = block_broadcast_sum(s) / count;
    double q = 0.0;
    for (long long i = threadIdx.x; i < count; i += blockDim.x) {
        double d = x[((i / HW) * C + c) * HW + i % HW] - mean;
        q += d * d;
    }
    double var = block_broadcast_sum(q) / count;
    if (threadIdx.x == 0) {
        saveMean[c] = (float)mean;
        saveInvStd[c] = (float)(1.0 / sqrt(var + (double)eps));
        double unbiased = count > 1 ? var * count / (count - 1) : var;
        runningMean[c] = (float)((1.0 - momentum) * runningMean[c] + momentum * mean);
        runningVar[c] = (float)((1.0 - momentum) * runningVar[c] + momentum * unbiased);
    }
}

// y = (x - mean[c]) * scale + beta[c] with scale = gamma[c] * invStd[c] (rounded once, as the CPU
// backend does), optionally followed by ReLU (fused BN+ReLU).
extern "C" __global__ void bn_apply(const float* x, const float* gamma, const float* beta, const float* mean,
                                    const float* invStd, int B, int C, int HW, int fuseRelu, float* y) {
    GRID_STRIDE(i, (long long)B * C * HW) {
        int c = (int)((i / HW) % C);
        float scale = (float)((double)gamma[c] * (double)invStd[c]);
        float v = (x[i] - mean[c]) * scale + beta[c];
        y[i] = (fuseRelu && v < 0.f) ? 0.f : v;
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

// One block per channel: dbeta = sum dy, dgamma = sum dy * xhat.
extern "C" __global__ void bn_bwd_reduce(const float* x, const float* dy, const float* saveMean, const float* saveInvStd,
                                         int B, int C, int HW, float* dgamma, float* dbeta) {
    int c = blockIdx.x;
    long long count = (long long)B * HW;
    float mean = saveMean[c], invStd = saveInvStd[c];
    double sdy = 0.0, sdyx = 0.0;
    for (long long i = threadIdx.x; i < count; i += blockDim.x) {
        long long j = ((i / HW) * C + c) * HW + i % HW;
        double g = dy[j];
        sdy += g;
        sdyx += g * ((double)(x[j] - mean) * invStd);
    }
    sdy = block_broadcast_sum(sdy);
    sdyx = block_broadcast_sum(sdyx);
    if (threadIdx.x == 0) { dbeta[c] = (float)sdy; dgamma[c] = (float)sdyx; }
}

// dx = gamma * invStd * (dy - dbeta / M - xhat * dgamma / M), M = N * H * W, written as the CPU
// backend does: a * dy + bx * (x - mean) + shift with per-channel a, bx, shift.
extern "C" __global__ void bn_bwd_dx(const float* x, const float* dy, const float* gamma, const float* saveMean,
                                     const float* saveInvStd, const float* dgamma, const float* dbeta,
                                     int B, int C, int HW, float* dx) {
    double m = (double)B * HW;
    GRID_STRIDE(i, (long long)B * C * HW) {
        int c = (int)((i / HW) % C);
        double invStd = saveInvStd[c], k = gamma[c] * invStd;
        float a = (float)k;
        float bx = (float)(-k * invStd * (double)dgamma[c] / m);
        float shift = (float)(-k * (double)dbeta[c] / m);
        dx[i] = a * dy[i] + bx * (x[i] - saveMean[c]) + shift;
    }
}
