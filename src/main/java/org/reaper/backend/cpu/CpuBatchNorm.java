package org.reaper.backend.cpu;

import static org.reaper.backend.cpu.CpuElementwise.dotCenteredRange;
import static org.reaper.backend.cpu.CpuElementwise.requireSame;
import static org.reaper.backend.cpu.CpuElementwise.requireShape;
import static org.reaper.backend.cpu.CpuElementwise.sumRange;
import static org.reaper.backend.cpu.CpuElementwise.sumSquaredDeviationRange;

import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/**
 * Batch norm over dim 1 of an [N, C, ...] tensor (statistics over N and the spatial dims).
 * Parallel over channels; each channel's sums are computed in double in a fixed order by one thread.
 */
final class CpuBatchNorm {
    private CpuBatchNorm() {}

    static void train(CpuParallel par, Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps,
                      Tensor y, Tensor sm, Tensor sis) {
        String op = "batchNormTrain";
        Shape cs = channelShape(op, x);
        requireSame(op, "y", x, y);
        requireShape(op, "gamma", cs, gamma);
        requireShape(op, "beta", cs, beta);
        requireShape(op, "runningMean", cs, rm);
        requireShape(op, "runningVar", cs, rv);
        requireShape(op, "saveMean", cs, sm);
        requireShape(op, "saveInvStd", cs, sis);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        long m = (long) n * hw;
        if (m < 2) throw new ShapeMismatchException(op, "training needs more than one value per channel, got input shape " + x.shape());
        float[] xa = CpuStorage.data(x), ya = CpuStorage.data(y), g = CpuStorage.data(gamma), b = CpuStorage.data(beta);
        float[] rma = CpuStorage.data(rm), rva = CpuStorage.data(rv), sma = CpuStorage.data(sm), sisa = CpuStorage.data(sis);
        par.forRange(c, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) { int off = (i * c + ch) * hw; s += sumRange(xa, off, off + hw); }
                double mean = s / m;
                double q = 0;
                for (int i = 0; i < n; i++) { int off = (i * c + ch) * hw; q += sumSquaredDeviationRange(xa, off, off + hw, mean); }
                double var = q / m;
                double invStd = 1.0 / Math.sqrt(var + eps);
                sma[ch] = (float) mean;
                sisa[ch] = (float) invStd;
                normalize(xa, ya, n, c, hw, ch, (float) mean, (float) (g[ch] * invStd), b[ch]);
                rma[ch] = (float) ((1.0 - momentum) * rma[ch] + momentum * mean);
                rva[ch] = (float) ((1.0 - momentum) * rva[ch] + momentum * var * m / (m - 1));
            }
        });
    }

    static void eval(CpuParallel par, Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float eps, Tensor y) {
        String op = "batchNormEval";
        Shape cs = channelShape(op, x);
        requireSame(op, "y", x, y);
        requireShape(op, "gamma", cs, gamma);
        requireShape(op, "beta", cs, beta);
        requireShape(op, "runningMean", cs, rm);
        requireShape(op, "runningVar", cs, rv);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        float[] xa = CpuStorage.data(x), ya = CpuStorage.data(y), g = CpuStorage.data(gamma), b = CpuStorage.data(beta);
        float[] rma = CpuStorage.data(rm), rva = CpuStorage.data(rv);
        par.forRange(c, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double invStd = 1.0 / Math.sqrt((double) rva[ch] + eps);
                normalize(xa, ya, n, c, hw, ch, rma[ch], (float) (g[ch] * invStd), b[ch]);
            }
        });
    }

    static void backward(CpuParallel par, Tensor x, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        String op = "batchNormBackward";
        Shape cs = channelShape(op, x);
        requireSame(op, "dy", x, dy);
        requireSame(op, "dx", x, dx);
        requireShape(op, "gamma", cs, gamma);
        requireShape(op, "saveMean", cs, sm);
        requireShape(op, "saveInvStd", cs, sis);
        requireShape(op, "dgamma", cs, dg);
        requireShape(op, "dbeta", cs, db);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        double m = (double) n * hw;
        float[] xa = CpuStorage.data(x), dya = CpuStorage.data(dy), dxa = CpuStorage.data(dx), g = CpuStorage.data(gamma);
        float[] sma = CpuStorage.data(sm), sisa = CpuStorage.data(sis), dga = CpuStorage.data(dg), dba = CpuStorage.data(db);
        par.forRange(c, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float meanF = sma[ch];
                double invStd = sisa[ch];
                double sumDy = 0, sumDyCentered = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * hw;
                    sumDy += sumRange(dya, off, off + hw);
                    sumDyCentered += dotCenteredRange(xa, dya, off, off + hw, meanF);
                }
                double sumDyXhat = sumDyCentered * invStd;
                dba[ch] = (float) sumDy;
                dga[ch] = (float) sumDyXhat;
                // dx = gamma*invStd * (dy - sumDy/M - xhat * sumDyXhat/M), with xhat = (x - mean) * invStd
                double k = g[ch] * invStd;
                float a = (float) k;
                float bx = (float) (-k * invStd * sumDyXhat / m);
                float shift = (float) (-k * sumDy / m);
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * hw, end = off + hw;
                    for (int j = off; j < end; j++) dxa[j] = a * dya[j] + bx * (xa[j] - meanF) + shift;
                }
            }
        });
    }

    /** y = (x - mean) * scale + shift over channel ch. */
    private static void normalize(float[] xa, float[] ya, int n, int c, int hw, int ch, float mean, float scale, float shift) {
        for (int i = 0; i < n; i++) {
            int off = (i * c + ch) * hw, end = off + hw;
            for (int j = off; j < end; j++) ya[j] = (xa[j] - mean) * scale + shift;
        }
    }

    private static Shape channelShape(String op, Tensor x) {
        if (x == null) throw new IllegalArgumentException(op + ": x is null");
        if (x.rank() < 2) throw new ShapeMismatchException(op, "input must be [N, C, ...], got shape " + x.shape());
        return Shape.of(x.dim(1));
    }
}
