package org.reaper.backend.cpu;

import static org.reaper.backend.KernelChecks.binary;
import static org.reaper.backend.KernelChecks.notNull;
import static org.reaper.backend.KernelChecks.sameShape;

import org.reaper.tensor.Tensor;

/**
 * Elementwise kernels and double-precision reductions, plus the summation helpers the other CPU
 * kernels share. Reductions use fixed chunks combined in a fixed order, so their result
 * does not depend on the number of threads.
 */
final class CpuElementwise {
    /** Smallest number of elements worth a parallel chunk. */
    static final int GRAIN = 1 << 14;
    /** Fixed reduction chunk: partial sums are per chunk, independent of the thread count. */
    static final int REDUCE_CHUNK = 1 << 14;

    private CpuElementwise() {}

    static void fill(CpuParallel par, Tensor t, float v) {
        float[] a = data("fill", "t", t);
        par.forRange(t.numel(), GRAIN, (s, e) -> java.util.Arrays.fill(a, s, e, v));
    }

    static void copy(CpuParallel par, Tensor src, Tensor dst) {
        sameShape("copy", "dst", src, dst);
        float[] a = CpuStorage.data(src), b = CpuStorage.data(dst);
        if (a == b) return;
        par.forRange(src.numel(), GRAIN, (s, e) -> System.arraycopy(a, s, b, s, e - s));
    }

    static void add(CpuParallel par, Tensor a, Tensor b, Tensor out) {
        binary("add", a, b, out);
        float[] x = CpuStorage.data(a), y = CpuStorage.data(b), o = CpuStorage.data(out);
        par.forRange(a.numel(), GRAIN, (s, e) -> { for (int i = s; i < e; i++) o[i] = x[i] + y[i]; });
    }

    /** out = max(a + b, 0) in one pass (NaN propagates, as in {@link CpuActivation#relu}). */
    static void addRelu(CpuParallel par, Tensor a, Tensor b, Tensor out) {
        binary("addRelu", a, b, out);
        float[] x = CpuStorage.data(a), y = CpuStorage.data(b), o = CpuStorage.data(out);
        par.forRange(a.numel(), GRAIN, (s, e) -> { for (int i = s; i < e; i++) o[i] = Math.max(x[i] + y[i], 0f); });
    }

    static void mul(CpuParallel par, Tensor a, Tensor b, Tensor out) {
        binary("mul", a, b, out);
        float[] x = CpuStorage.data(a), y = CpuStorage.data(b), o = CpuStorage.data(out);
        par.forRange(a.numel(), GRAIN, (s, e) -> { for (int i = s; i < e; i++) o[i] = x[i] * y[i]; });
    }

    static void scale(CpuParallel par, Tensor a, float sc, Tensor out) {
        sameShape("scale", "out", a, out);
        float[] x = CpuStorage.data(a), o = CpuStorage.data(out);
        par.forRange(a.numel(), GRAIN, (s, e) -> { for (int i = s; i < e; i++) o[i] = sc * x[i]; });
    }

    static void axpy(CpuParallel par, float alpha, Tensor x, Tensor y) {
        sameShape("axpy", "y", x, y);
        float[] a = CpuStorage.data(x), b = CpuStorage.data(y);
        par.forRange(x.numel(), GRAIN, (s, e) -> { for (int i = s; i < e; i++) b[i] += alpha * a[i]; });
    }

    static double sum(CpuParallel par, Tensor t) {
        float[] a = data("sum", "t", t);
        return reduce(par, t.numel(), (s, e) -> sumRange(a, s, e));
    }

    static double sumOfSquares(CpuParallel par, Tensor t) {
        float[] a = data("sumOfSquares", "t", t);
        return reduce(par, t.numel(), (s, e) -> sumSquaresRange(a, s, e));
    }

    // ------------------------------------------------------------------ shared helpers

    @FunctionalInterface interface RangeSum { double sum(int start, int end); }

    /** Sums body over fixed chunks of [0, n) in parallel, then adds the partials in chunk order. */
    static double reduce(CpuParallel par, int n, RangeSum body) {
        int chunks = (n + REDUCE_CHUNK - 1) / REDUCE_CHUNK;
        if (chunks <= 1) return n == 0 ? 0.0 : body.sum(0, n);
        double[] partial = new double[chunks];
        par.forRange(chunks, 1, (s, e) -> {
            for (int c = s; c < e; c++) partial[c] = body.sum(c * REDUCE_CHUNK, Math.min(n, (c + 1) * REDUCE_CHUNK));
        });
        double total = 0;
        for (double p : partial) total += p;
        return total;
    }

    /** Sum of a[from..to) in double with four independent accumulators (fixed order). */
    static double sumRange(float[] a, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) { s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3]; }
        for (; i < to; i++) s0 += a[i];
        return (s0 + s1) + (s2 + s3);
    }

    static double sumSquaresRange(float[] a, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            double v0 = a[i], v1 = a[i + 1], v2 = a[i + 2], v3 = a[i + 3];
            s0 += v0 * v0; s1 += v1 * v1; s2 += v2 * v2; s3 += v3 * v3;
        }
        for (; i < to; i++) { double v = a[i]; s0 += v * v; }
        return (s0 + s1) + (s2 + s3);
    }

    /** Sum of (a[i] - c)^2 over [from, to) in double. */
    static double sumSquaredDeviationRange(float[] a, int from, int to, double c) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            double v0 = a[i] - c, v1 = a[i + 1] - c, v2 = a[i + 2] - c, v3 = a[i + 3] - c;
            s0 += v0 * v0; s1 += v1 * v1; s2 += v2 * v2; s3 += v3 * v3;
        }
        for (; i < to; i++) { double v = a[i] - c; s0 += v * v; }
        return (s0 + s1) + (s2 + s3);
    }

    /** Sum of b[i] * (a[i] - c) over [from, to) in double. */
    static double dotCenteredRange(float[] a, float[] b, int from, int to, double c) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += b[i] * (a[i] - c); s1 += b[i + 1] * (a[i + 1] - c);
            s2 += b[i + 2] * (a[i + 2] - c); s3 += b[i + 3] * (a[i + 3] - c);
        }
        for (; i < to; i++) s0 += b[i] * (a[i] - c);
        return (s0 + s1) + (s2 + s3);
    }

    /** The float[] behind t, with a readable error when t is missing. */
    static float[] data(String op, String what, Tensor t) {
        notNull(op, what, t);
        return CpuStorage.data(t);
    }
}
