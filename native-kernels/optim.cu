// Fused optimizer updates, one thread per parameter element (PyTorch semantics, see Backend).
#include "common.cuh"

// One element of PyTorch SGD; sgd_step and sgd_step_list share it, so both give the same floats.
__device__ __forceinline__ void sgd_element(float* p, const float* g, float* buf, long long i, float lr, float momentum,
                                            float dampening, float weightDecay, int nesterov, int firstStep) {
    float gp = weightDecay != 0.f ? g[i] + weightDecay * p[i] : g[i];
    float step = gp;
    if (momentum != 0.f) {
        float b = firstStep ? gp : momentum * buf[i] + (1.f - dampening) * gp;
        buf[i] = b;
        step = nesterov ? gp + momentum * b : b;
    }
    p[i] = p[i] - lr * step;
}

// buf may be null when momentum == 0.
extern "C" __global__ void sgd_step(float* p, const float* g, float* buf, int n, float lr, float momentum,
                                    float dampening, float weightDecay, int nesterov, int firstStep) {
    GRID_STRIDE(i, n) sgd_element(p, g, buf, i, lr, momentum, dampening, weightDecay, nesterov, firstStep);
}

// sgd_step over a whole list of parameter tensors in one launch (a launch-bound step saves one launch per tensor).
// ptrs = [p_0 .. p_{k-1}, g_0 .. g_{k-1}, buf_0 .. buf_{k-1}] (buf entries null when momentum == 0);
// meta = [end_0 .. end_{k-1}, first_0 .. first_{k-1}], end_t the exclusive end of tensor t in the concatenated
// index space 0 .. total-1. A thread finds its first element's tensor by binary search; grid-stride indices only
// grow, so later ones walk forward from there.
extern "C" __global__ void sgd_step_list(float* const* ptrs, const long long* meta, int count, long long total, float lr,
                                         float momentum, float dampening, float weightDecay, int nesterov) {
    int t = -1;
    GRID_STRIDE(i, total) {
        if (t < 0) {
            int lo = 0, hi = count - 1;
            while (lo < hi) { int mid = (lo + hi) / 2; if (meta[mid] > i) hi = mid; else lo = mid + 1; }
            t = lo;
        }
        while (meta[t] <= i) t++;
        long long start = t == 0 ? 0 : meta[t - 1];
        sgd_element(ptrs[t], ptrs[count + t], ptrs[2 * count + t], i - start, lr, momentum, dampening, weightDecay, nesterov,
                    (int)meta[count + t]);
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
