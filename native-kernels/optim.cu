// Fused optimizer updates, one thread per parameter element (PyTorch semantics, see Backend).
#include "common.cuh"

// buf may be null when momentum == 0.
extern "C" __global__ void sgd_step(float* p, const float* g, float* buf, int n, float lr, float momentum,
                                    float dampening, float weightDecay, int nesterov, int firstStep) {
    GRID_STRIDE(i, n) {
        float gp = weightDecay != 0.f ? g[i] + weightDecay * p[i] : g[i];
        float step = gp;
        if (momentum != 0.f) {
            float b = firstStep ? gp : momentum * buf[i] + (1.f - dampening) * gp;
            buf[i] = b;
            step = nesterov ? gp + momentum * b : b;
        }
        p[i] = p[i] - lr * step;
    }
}

// Mirrors the CPU backend: stepSize = lr / (1 - beta1^t), sqrtBc2 = sqrt(1 - beta2^t) (host, double);
// decay = 1 - lr * wd for decoupled AdamW (else 1), l2 = wd for classic Adam (else 0).
extern "C" __global__ void adam_step(float* p, const float* g, float* m, float* v, int n, float stepSize, float beta1,
                                     float beta2, float eps, float decay, float l2, float sqrtBc2) {
    float c1 = 1.f - beta1, c2 = 1.f - beta2;
    GRID_STRIDE(i, n) {
        float pi = p[i] * decay;
        float gi = l2 != 0.f ? g[i] + l2 * pi : g[i];
        float mi = beta1 * m[i] + c1 * gi;
        float vi = beta2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = pi - stepSize * mi / (sqrtf(vi) / sqrtBc2 + eps);
    }
}
