// Elementwise kernels, activations and the double-precision reductions behind sum / sumOfSquares.
#include "common.cuh"

extern "C" __global__ void ew_fill(float* t, float value, int n) {
    GRID_STRIDE(i, n) t[i] = value;
}

extern "C" __global__ void ew_copy(const float* src, float* dst, int n) {
    GRID_STRIDE(i, n) dst[i] = src[i];
}

extern "C" __global__ void ew_add(const float* a, const float* b, float* out, int n) {
    GRID_STRIDE(i, n) out[i] = a[i] + b[i];
}

extern "C" __global__ void ew_mul(const float* a, const float* b, float* out, int n) {
    GRID_STRIDE(i, n) out[i] = a[i] * b[i];
}

extern "C" __global__ void ew_scale(const float* a, float s, float* out, int n) {
    GRID_STRIDE(i, n) out[i] = s * a[i];
}

extern "C" __global__ void ew_axpy(float alpha, const float* x, float* y, int n) {
    GRID_STRIDE(i, n) y[i] = y[i] + alpha * x[i];
}

// max(x, 0) with NaN kept (as PyTorch and the CPU backend; -0 becomes +0 as in Java's Math.max).
extern "C" __global__ void relu_fwd(const float* x, float* y, int n) {
    GRID_STRIDE(i, n) { float v = x[i]; y[i] = v != v ? v : v > 0.f ? v : 0.f; }
}

// relu(a + b): a residual join and its ReLU in one pass (relu_fwd's expression: the same bits as the two kernels).
extern "C" __global__ void ew_add_relu(const float* a, const float* b, float* out, int n) {
    GRID_STRIDE(i, n) { float v = a[i] + b[i]; out[i] = v != v ? v : v > 0.f ? v : 0.f; }
}

extern "C" __global__ void relu_bwd(const float* y, const float* dy, float* dx, int n) {
    GRID_STRIDE(i, n) dx[i] = y[i] > 0.f ? dy[i] : 0.f;
}

// Stage 1 of a deterministic reduction: block b writes the double sum (of x or x^2) of its
// grid-stride share into partials[b]. Launch with a fixed grid so the order never changes.
extern "C" __global__ void reduce_sum_partials(const float* x, int n, int squared, double* partials) {
    double acc = 0.0;
    GRID_STRIDE(i, n) { double v = x[i]; acc += squared ? v * v : v; }
    acc = block_sum_d(acc);
    if (threadIdx.x == 0) partials[blockIdx.x] = acc;
}

// Stage 2: one block folds the partials into out[0].
extern "C" __global__ void reduce_sum_finish(const double* partials, int count, double* out) {
    double acc = 0.0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) acc += partials[i];
    acc = block_sum_d(acc);
    if (threadIdx.x == 0) out[0] = acc;
}

// y[r, c] += bias[c] for a rows x cols matrix (Linear's bias).
extern "C" __global__ void add_bias_rows(float* y, const float* bias, int rows, int cols) {
    GRID_STRIDE(i, (long long)rows * cols) y[i] = y[i] + bias[i % cols];
}

// out[c] = sum over rows of m[r, c] (Linear's bias gradient); one thread per column, fixed order.
extern "C" __global__ void column_sums(const float* m, int rows, int cols, float* out) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= cols) return;
    double acc = 0.0;
    for (int r = 0; r < rows; r++) acc += m[(long long)r * cols + c];
    out[c] = (float)acc;
}
