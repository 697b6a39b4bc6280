package org.reaper.backend.cpu;

import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/**
 * Softmax cross-entropy with label smoothing (numerically stable: shifted by the row maximum, sums in
 * double), its backward, and the count of correct predictions. Parallel over rows.
 */
final class CpuLoss {
    private static final int ROW_GRAIN = 32;

    private CpuLoss() {}

    static void softmaxCrossEntropy(CpuParallel par, Tensor logits, Tensor labels, float s, Tensor probs, Tensor loss) {
        String op = "softmaxCrossEntropy";
        KernelChecks.softmaxCrossEntropy(logits, labels, s, probs, loss);
        int n = logits.dim(0), c = logits.dim(1);
        float[] x = CpuStorage.data(logits), lab = CpuStorage.data(labels), p = CpuStorage.data(probs), l = CpuStorage.data(loss);
        par.forRange(n, ROW_GRAIN, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * c, label = label(op, lab, r, c);
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) max = Math.max(max, x[off + j]);
                double sumExp = 0, sumShifted = 0;
                for (int j = 0; j < c; j++) {
                    double z = (double) x[off + j] - max;
                    sumShifted += z;
                    sumExp += Math.exp(z);
                }
                double logSum = Math.log(sumExp);
                for (int j = 0; j < c; j++) p[off + j] = (float) (Math.exp((double) x[off + j] - max - logSum));
                // -sum_j target_j * log p_j with target = (1-s) onehot + s/C; log p_j = z_j - logSum
                double logpLabel = (double) x[off + label] - max - logSum;
                double sumLogp = sumShifted - c * logSum;
                l[r] = (float) (-(1.0 - s) * logpLabel - (double) s / c * sumLogp);
            }
        });
    }

    static void backward(CpuParallel par, Tensor probs, Tensor labels, float s, float scale, Tensor dlogits) {
        String op = "softmaxCrossEntropyBackward";
        KernelChecks.softmaxCrossEntropyBackward(probs, labels, s, dlogits);
        int n = probs.dim(0), c = probs.dim(1);
        float[] p = CpuStorage.data(probs), lab = CpuStorage.data(labels), d = CpuStorage.data(dlogits);
        float off = s / c, on = 1f - s + s / c;
        par.forRange(n, ROW_GRAIN, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * c, label = label(op, lab, r, c);
                for (int j = 0; j < c; j++) d[o + j] = scale * (p[o + j] - off);
                d[o + label] = scale * (p[o + label] - on);
            }
        });
    }

    static int countCorrect(Tensor logits, Tensor labels) {
        String op = "countCorrect";
        KernelChecks.countCorrect(logits, labels);
        int n = logits.dim(0), c = logits.dim(1);
        float[] x = CpuStorage.data(logits), lab = CpuStorage.data(labels);
        int correct = 0;
        for (int r = 0; r < n; r++) {
            int off = r * c, best = 0;
            for (int j = 1; j < c; j++) if (x[off + j] > x[off + best]) best = j;
            if (best == label(op, lab, r, c)) correct++;
        }
        return correct;
    }

    private static int label(String op, float[] labels, int row, int classes) {
        float v = labels[row];
        int k = (int) v;
        if (k != v || k < 0 || k >= classes)
            throw new IllegalArgumentException(op + ": label " + v + " of row " + row + " is not a class index in [0, " + classes + ")");
        return k;
    }

}
