package org.reaper.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/**
 * Batch norm over dim 1 of an [N, C, ...] tensor (statistics over N and the spatial dims).
 * Work is cut into fixed units (one channel x a fixed run of samples), so a few wide channels still
 * keep every thread busy; per-unit sums are taken in double (vectorised, {@link DoubleSums}) and added
 * per channel in unit order, so results never depend on the thread count. The units are numbered run
 * by run (all channels of samples 0..15, then of 16..31, ...), so a thread's share is a range of
 * samples, as in the convolutions and element-wise ops around it: it finds them in its own core's cache.
 */
final class CpuBatchNorm {
    /** About this many elements per work unit. */
    private static final int UNIT_ELEMS = 1 << 14;
    /** At least this many runs of samples per channel (fewer only when the batch is smaller), whatever the threads. */
    private static final int MIN_RUNS = 8;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private CpuBatchNorm() {}

    /** Channel ch's samples [firstSample, endSample) of run k form unit k * c + ch. */
    private record Units(int n, int c, int hw, int samplesPerUnit, int perChannel) {
        static Units of(int n, int c, int hw) {
            int spu = Math.max(1, Math.min(Math.min(n, UNIT_ELEMS / Math.max(1, hw)), (n + MIN_RUNS - 1) / MIN_RUNS));
            return new Units(n, c, hw, spu, (n + spu - 1) / spu);
        }
        int count() { return c * perChannel; }
        int channel(int u) { return u % c; }
        int firstSample(int u) { return (u / c) * samplesPerUnit; }
        int endSample(int u) { return Math.min(n, firstSample(u) + samplesPerUnit); }
        int offset(int sample, int ch) { return (sample * c + ch) * hw; }
        /** Sum over channel ch of the per-unit values part[(unit) * stride + slot], run by run. */
        double channelTotal(double[] part, int ch, int stride, int slot) {
            double s = 0;
            for (int k = 0; k < perChannel; k++) s += part[(k * c + ch) * stride + slot];
            return s;
        }
    }

    /** Training-mode batch norm; with {@code relu} y = max(that, 0), in the same pass. */
    static void train(CpuParallel par, Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps,
                      Tensor y, Tensor sm, Tensor sis, boolean relu) {
        KernelChecks.batchNormTrain(x, gamma, beta, rm, rv, y, sm, sis);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        long m = (long) n * hw;
        float[] xa = CpuStorage.data(x), ya = CpuStorage.data(y), g = CpuStorage.data(gamma), b = CpuStorage.data(beta);
        float[] rma = CpuStorage.data(rm), rva = CpuStorage.data(rv), sma = CpuStorage.data(sm), sisa = CpuStorage.data(sis);
        Units us = Units.of(n, c, hw);

        // one pass over x for both moments, taken about a per-channel shift near the mean (the mean of sample 0's
        // plane), so E[d^2] - E[d]^2 in double does not cancel even when the mean is far from zero
        double[] shift = new double[c];
        for (int ch = 0; ch < c; ch++) shift[ch] = CpuElementwise.sumRange(xa, us.offset(0, ch), us.offset(0, ch) + hw) / hw;
        double[] part = new double[2 * us.count()];
        unitSums(par, us, 2, part, (u, ch, acc) -> {
            for (int i = us.firstSample(u); i < us.endSample(u); i++) {
                int off = us.offset(i, ch);
                DoubleSums.addShiftedSumAndSquares(xa, off, off + hw, shift[ch], acc);
            }
        });
        float[] meanF = new float[c], scale = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double d = us.channelTotal(part, ch, 2, 0) / m, mean = shift[ch] + d;
            double var = Math.max(0.0, us.channelTotal(part, ch, 2, 1) / m - d * d);
            double invStd = 1.0 / Math.sqrt(var + eps);
            sma[ch] = meanF[ch] = (float) mean;
            sisa[ch] = (float) invStd;
            scale[ch] = (float) (g[ch] * invStd);
            rma[ch] = (float) ((1.0 - momentum) * rma[ch] + momentum * mean);
            rva[ch] = (float) ((1.0 - momentum) * rva[ch] + momentum * var * m / (m - 1));
        }
        normalize(par, us, xa, ya, meanF, scale, b, relu);
    }

    static void eval(CpuParallel par, Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float eps, Tensor y) {
        KernelChecks.batchNormEval(x, gamma, beta, rm, rv, y);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        float[] xa = CpuStorage.data(x), ya = CpuStorage.data(y), g = CpuStorage.data(gamma), b = CpuStorage.data(beta);
        float[] rma = CpuStorage.data(rm), rva = CpuStorage.data(rv);
        float[] scale = new float[c];
        for (int ch = 0; ch < c; ch++) scale[ch] = (float) (g[ch] * (1.0 / Math.sqrt((double) rva[ch] + eps)));
        normalize(par, Units.of(n, c, hw), xa, ya, rma, scale, b, false);
    }

    /**
     * Backward of training-mode batch norm; with {@code reluOut} (the output of the fused ReLU, else null) the
     * gradient is first masked to where that output is positive, inside the same passes.
     */
    static void backward(CpuParallel par, Tensor x, Tensor reluOut, Tensor dy, Tensor gamma, Tensor sm, Tensor sis,
                         Tensor dx, Tensor dg, Tensor db) {
        KernelChecks.batchNormBackward(x, dy, gamma, sm, sis, dx, dg, db);
        if (reluOut != null) KernelChecks.sameShape("batchNormReluBackward", "y", x, reluOut);
        float[] ra = reluOut == null ? null : CpuStorage.data(reluOut);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        double m = (double) n * hw;
        float[] xa = CpuStorage.data(x), dya = CpuStorage.data(dy), dxa = CpuStorage.data(dx), g = CpuStorage.data(gamma);
        float[] sma = CpuStorage.data(sm), sisa = CpuStorage.data(sis), dga = CpuStorage.data(dg), dba = CpuStorage.data(db);
        Units us = Units.of(n, c, hw);
        double[] part = new double[2 * us.count()];

        // one pass for both reductions: sum dy and sum dy * (x - mean)
        unitSums(par, us, 2, part, (u, ch, acc) -> {
            double mean = sma[ch];
            for (int i = us.firstSample(u); i < us.endSample(u); i++) {
                int off = us.offset(i, ch);
                if (ra == null) DoubleSums.addSumAndDotCentered(xa, dya, off, off + hw, mean, acc);
                else DoubleSums.addMaskedSumAndDotCentered(xa, dya, ra, off, off + hw, mean, acc);
            }
        });
        float[] a = new float[c], bx = new float[c], shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double invStd = sisa[ch];
            double sumDy = us.channelTotal(part, ch, 2, 0);
            double sumDyXhat = us.channelTotal(part, ch, 2, 1) * invStd;
            dba[ch] = (float) sumDy;
            dga[ch] = (float) sumDyXhat;
            // dx = gamma*invStd * (dy - sumDy/M - xhat * sumDyXhat/M), with xhat = (x - mean) * invStd
            double k = g[ch] * invStd;
            a[ch] = (float) k;
            bx[ch] = (float) (-k * invStd * sumDyXhat / m);
            shift[ch] = (float) (-k * sumDy / m);
        }
        par.forRange(us.count(), 1, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int ch = us.channel(u);
                float ak = a[ch], bk = bx[ch], sk = shift[ch], meanF = sma[ch];
                for (int i = us.firstSample(u); i < us.endSample(u); i++) {
                    int off = us.offset(i, ch), end = off + hw;
                    if (ra == null) for (int j = off; j < end; j++) dxa[j] = ak * dya[j] + bk * (xa[j] - meanF) + sk;
                    else maskedInputGradient(xa, dya, ra, dxa, off, end, ak, bk, meanF, sk);
                }
            }
        });
    }

    /** Adds unit u's values (its channel is ch) into the accumulator acc. */
    @FunctionalInterface private interface UnitSum { void add(int u, int ch, double[] acc); }

    /** Each thread's accumulator for {@link #unitSums} (one per thread, not one per piece of work). */
    private static final ThreadLocal<double[]> ACC = ThreadLocal.withInitial(() -> new double[0]);

    /** Runs body on every unit with a zeroed accumulator of {@code width} sums; part[u * width + k] gets sum k of unit u. */
    private static void unitSums(CpuParallel par, Units us, int width, double[] part, UnitSum body) {
        int size = DoubleSums.accumulatorSize(width);
        par.forRange(us.count(), 1, (u0, u1) -> {
            double[] acc = ACC.get();
            if (acc.length < size) ACC.set(acc = new double[size]);
            for (int u = u0; u < u1; u++) {
                Arrays.fill(acc, 0, size, 0.0);
                body.add(u, us.channel(u), acc);
                for (int k = 0; k < width; k++) part[width * u + k] = DoubleSums.total(acc, k);
            }
        });
    }

    /**
     * dx = a * (dy where y > 0, else 0) + b * (x - mean) + s over [from, to), with the Vector API (C2 does not
     * vectorise the select), in the same operations and order as the unmasked loop.
     */
    private static void maskedInputGradient(float[] x, float[] dy, float[] y, float[] dx, int from, int to,
                                            float a, float b, float mean, float s) {
        int i = from;
        FloatVector zero = FloatVector.zero(F);
        for (int end = from + F.loopBound(to - from); i < end; i += F.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(F, y, i).compare(VectorOperators.GT, 0f);
            FloatVector g = zero.blend(FloatVector.fromArray(F, dy, i), positive);
            g.mul(a).add(FloatVector.fromArray(F, x, i).sub(mean).mul(b)).add(s).intoArray(dx, i);
        }
        for (; i < to; i++) dx[i] = a * (y[i] > 0f ? dy[i] : 0f) + b * (x[i] - mean) + s;
    }

    /** y = (x - mean[ch]) * scale[ch] + shift[ch] (then max(y, 0) with relu), per channel, in parallel over the units. */
    private static void normalize(CpuParallel par, Units us, float[] xa, float[] ya, float[] mean, float[] scale, float[] shift,
                                  boolean relu) {
        int hw = us.hw(), stride = us.c() * hw;
        par.forRange(us.count(), 1, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int ch = us.channel(u), first = us.offset(us.firstSample(u), ch), samples = us.endSample(u) - us.firstSample(u);
                float mk = mean[ch], sk = scale[ch], tk = shift[ch];
                for (int i = 0; i < samples; i++) {
                    int off = first + i * stride, end = off + hw;
                    if (relu) for (int j = off; j < end; j++) ya[j] = Math.max((xa[j] - mk) * sk + tk, 0f);
                    else for (int j = off; j < end; j++) ya[j] = (xa[j] - mk) * sk + tk;
                }
            }
        });
    }
}
