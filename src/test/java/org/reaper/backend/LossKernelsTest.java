package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reaper.backend.OpsKit.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.reference.RefOps;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** Softmax cross-entropy (label smoothing), its backward and countCorrect against float64 loops. */
class LossKernelsTest {
    /** {N, C}: batch 1, few classes, CIFAR-10, many classes. */
    private static final int[][] SHAPES = {{1, 10}, {7, 3}, {64, 10}, {5, 100}};

    private static int[] labels(String tag, int n, int c) {
        float[] u = randomFloats("labels" + tag, n, 0, 1);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = Math.min(c - 1, (int) (u[i] * c));
        return l;
    }

    private static float[] asFloats(int[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = a[i];
        return f;
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void forwardAndBackwardMatchReference(Backend b) {
        for (int[] s : SHAPES) for (float smoothing : new float[] {0f, 0.1f}) for (float shift : new float[] {0f, 1000f})
            try (TensorScope scope = TensorScope.open()) {
                int n = s[0], c = s[1];
                String tag = java.util.Arrays.toString(s) + " s=" + smoothing + " shift=" + shift;
                float[] logits = randomFloats("logits" + tag, n * c, -4, 4);
                for (int i = 0; i < logits.length; i++) logits[i] += shift; // a naive exp would overflow
                int[] lab = labels(tag, n, c);
                Tensor tl = upload(b, logits, n, c), tlab = upload(b, asFloats(lab), n);
                Tensor probs = poisoned(b, n, c), loss = poisoned(b, n), d = poisoned(b, n, c);
                b.softmaxCrossEntropy(tl, tlab, smoothing, probs, loss);
                double[][] ref = RefOps.softmaxCrossEntropy(toDouble(logits), lab, n, c, smoothing);
                assertClose("probs " + tag, ref[0], b, probs, 1e-5);
                assertClose("loss " + tag, ref[1], b, loss, 1e-5);
                float scale = 1f / n;
                b.softmaxCrossEntropyBackward(probs, tlab, smoothing, scale, d);
                assertClose("dlogits " + tag, RefOps.softmaxCrossEntropyBackward(ref[0], lab, n, c, smoothing, scale), b, d, 1e-5);
                assertEquals(RefOps.countCorrect(toDouble(logits), lab, n, c), b.countCorrect(tl, tlab), "countCorrect " + tag);
            }
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void countCorrectUsesTheFirstMaximum(Backend b) {
        try (TensorScope scope = TensorScope.open()) {
            float[] logits = {1, 3, 3, 0,   5, 5, 5, 5,   0, 0, 0, 9,   2, 1, 0, -1};
            float[] lab = {2, 0, 3, 1};
            // rows: first max at 1 (label 2: wrong), at 0 (right), at 3 (right), at 0 (label 1: wrong)
            assertEquals(2, b.countCorrect(upload(b, logits, 4, 4), upload(b, lab, 4)));
        }
    }

    @org.junit.jupiter.api.Test
    void badLabelIsRejectedOnTheCpu() {
        try (Backend b = new org.reaper.backend.cpu.CpuBackend(1); TensorScope scope = TensorScope.open()) {
            Tensor logits = upload(b, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> b.softmaxCrossEntropy(logits, upload(b, new float[] {0, 3}, 2), 0f, b.empty(logits.shape()), b.empty(org.reaper.tensor.Shape.of(2))));
            assertTrue(e.getMessage().contains("label"), e.getMessage());
        }
    }
}
