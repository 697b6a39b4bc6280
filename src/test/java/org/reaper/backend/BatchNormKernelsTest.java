package org.reaper.backend;

import static org.reaper.backend.OpsKit.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.reference.RefOps;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** Batch norm train (incl. running statistics), eval and backward against the float64 reference. */
class BatchNormKernelsTest {
    /** {N, C, H, W}: batch 1, odd and non-square planes, 1x1 planes, a BN1d-like [N, C]. */
    private static final int[][] SHAPES = {{1, 3, 5, 7}, {4, 2, 3, 3}, {7, 5, 1, 1}, {2, 16, 8, 6}, {9, 4}};
    private static final float EPS = 1e-5f, MOMENTUM = 0.1f;

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void trainEvalAndBackwardMatchReference(Backend b) {
        for (int[] s : SHAPES) try (TensorScope scope = TensorScope.open()) {
            int n = s[0], c = s[1], hw = s.length == 4 ? s[2] * s[3] : 1, numel = n * c * hw;
            String tag = java.util.Arrays.toString(s);
            // an offset mean makes a naive E[x^2]-E[x]^2 variance visibly wrong
            float[] x = randomFloats("bn-x" + tag, numel, 2, 5), dy = randomFloats("bn-dy" + tag, numel, -1, 1);
            float[] gamma = randomFloats("bn-g" + tag, c, 0.5f, 1.5f), beta = randomFloats("bn-b" + tag, c, -1, 1);
            float[] rm = randomFloats("bn-rm" + tag, c, -0.5f, 0.5f), rv = randomFloats("bn-rv" + tag, c, 0.5f, 2);

            Tensor tx = upload(b, x, s), tg = upload(b, gamma, c), tb = upload(b, beta, c);
            Tensor trm = upload(b, rm, c), trv = upload(b, rv, c);
            Tensor y = poisoned(b, s), sm = poisoned(b, c), sis = poisoned(b, c);
            b.batchNormTrain(tx, tg, tb, trm, trv, MOMENTUM, EPS, y, sm, sis);

            double[][] ref = RefOps.batchNormTrain(toDouble(x), n, c, hw, toDouble(gamma), toDouble(beta), EPS);
            assertClose("bn train y " + tag, ref[0], b, y, 1e-5);
            assertClose("bn saveMean " + tag, ref[1], b, sm, 1e-6);
            assertClose("bn saveInvStd " + tag, ref[2], b, sis, 1e-5);
            double[][] running = RefOps.batchNormRunning(toDouble(rm), toDouble(rv), ref[1], ref[3], (long) n * hw, MOMENTUM);
            assertClose("bn runningMean " + tag, running[0], b, trm, 1e-6);
            assertClose("bn runningVar (unbiased) " + tag, running[1], b, trv, 1e-5);

            Tensor ye = poisoned(b, s);
            b.batchNormEval(tx, tg, tb, trm, trv, EPS, ye);
            double[] refEval = RefOps.batchNormEval(toDouble(x), n, c, hw, toDouble(gamma), toDouble(beta),
                    toDouble(b.toHost(trm)), toDouble(b.toHost(trv)), EPS);
            assertClose("bn eval " + tag, refEval, b, ye, 1e-5);

            Tensor dx = poisoned(b, s), dg = poisoned(b, c), db = poisoned(b, c);
            b.batchNormBackward(tx, upload(b, dy, s), tg, sm, sis, dx, dg, db);
            double[][] back = RefOps.batchNormBackward(toDouble(x), toDouble(dy), n, c, hw, toDouble(gamma), EPS);
            assertClose("bn dx " + tag, back[0], b, dx, 1e-5);
            assertClose("bn dgamma " + tag, back[1], b, dg, 1e-5);
            assertClose("bn dbeta " + tag, back[2], b, db, 1e-5);
        }
    }

    /** The fused batch norm + ReLU: the reference's max(y, 0), and the same bits as the two ops it replaces. */
    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void fusedReluMatchesReferenceAndTheTwoOps(Backend b) {
        for (int[] s : SHAPES) try (TensorScope scope = TensorScope.open()) {
            int n = s[0], c = s[1], hw = s.length == 4 ? s[2] * s[3] : 1, numel = n * c * hw;
            String tag = java.util.Arrays.toString(s);
            float[] x = randomFloats("bnr-x" + tag, numel, -2, 3), dy = randomFloats("bnr-dy" + tag, numel, -1, 1);
            float[] gamma = randomFloats("bnr-g" + tag, c, 0.5f, 1.5f), beta = randomFloats("bnr-b" + tag, c, -1, 1);
            float[][] got = fusedAgainstTwoOps(b, x, dy, gamma, beta, s, tag);

            double[] ref = RefOps.batchNormTrain(toDouble(x), n, c, hw, toDouble(gamma), toDouble(beta), EPS)[0];
            for (int i = 0; i < ref.length; i++) ref[i] = Math.max(ref[i], 0);
            assertClose("bn+relu y vs reference " + tag, ref, got[0], 1e-5);
            // the gradient through the ReLU where the kernel's own output is positive, then batch norm's
            float[] dyMasked = dy.clone();
            for (int i = 0; i < numel; i++) if (!(got[0][i] > 0f)) dyMasked[i] = 0f;
            double[][] back = RefOps.batchNormBackward(toDouble(x), toDouble(dyMasked), n, c, hw, toDouble(gamma), EPS);
            assertClose("bn+relu dx vs reference " + tag, back[0], got[1], 1e-5);
            assertClose("bn+relu dgamma vs reference " + tag, back[1], got[2], 1e-5);
            assertClose("bn+relu dbeta vs reference " + tag, back[2], got[3], 1e-5);
        }
    }

    /** A NaN input makes its channel's statistics, so all that channel's outputs and gradients, NaN; others stay finite. */
    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void fusedReluPropagatesNaNThroughItsChannel(Backend b) {
        int[] s = {4, 3, 5, 5};
        int numel = 4 * 3 * 25, hw = 25;
        try (TensorScope scope = TensorScope.open()) {
            float[] x = randomFloats("bnr-nan-x", numel, -2, 3), dy = randomFloats("bnr-nan-dy", numel, -1, 1);
            x[2 * 3 * hw + hw + 7] = Float.NaN;   // sample 2, channel 1
            float[][] got = fusedAgainstTwoOps(b, x, dy, randomFloats("bnr-nan-g", 3, 0.5f, 1.5f), randomFloats("bnr-nan-b", 3, -1, 1), s, "NaN");
            for (int i = 0; i < numel; i++) {
                boolean channel1 = (i / hw) % 3 == 1;
                if (channel1 != Float.isNaN(got[0][i])) throw new AssertionError("y[" + i + "] = " + got[0][i] + " (channel 1 must be NaN, others not)");
                if (channel1 != Float.isNaN(got[1][i])) throw new AssertionError("dx[" + i + "] = " + got[1][i] + " (channel 1 must be NaN, others not)");
            }
        }
    }

    /** Runs the fused forward and backward and the two ops each replaces; asserts the same bits; returns {y, dx, dgamma, dbeta}. */
    private static float[][] fusedAgainstTwoOps(Backend b, float[] x, float[] dy, float[] gamma, float[] beta, int[] s, String tag) {
        int c = s[1];
        Tensor tx = upload(b, x, s), tg = upload(b, gamma, c), tb = upload(b, beta, c), tdy = upload(b, dy, s);
        Tensor y = poisoned(b, s), sm = poisoned(b, c), sis = poisoned(b, c);
        b.batchNormReluTrain(tx, tg, tb, upload(b, new float[c], c), upload(b, new float[c], c), MOMENTUM, EPS, y, sm, sis);
        Tensor y2 = poisoned(b, s), sm2 = poisoned(b, c), sis2 = poisoned(b, c);
        b.batchNormTrain(tx, tg, tb, upload(b, new float[c], c), upload(b, new float[c], c), MOMENTUM, EPS, y2, sm2, sis2);
        b.relu(y2, y2);
        assertBitEqual("bn+relu y vs the two ops " + tag + " on " + b, b.toHost(y2), b.toHost(y));
        assertBitEqual("bn+relu saveInvStd vs the two ops " + tag + " on " + b, b.toHost(sis2), b.toHost(sis));

        Tensor dx = poisoned(b, s), dg = poisoned(b, c), db = poisoned(b, c);
        b.batchNormReluBackward(tx, y, tdy, tg, sm, sis, dx, dg, db);
        Tensor masked = poisoned(b, s), dx2 = poisoned(b, s), dg2 = poisoned(b, c), db2 = poisoned(b, c);
        b.reluBackward(y, tdy, masked);
        b.batchNormBackward(tx, masked, tg, sm, sis, dx2, dg2, db2);
        assertBitEqual("bn+relu dx vs the two ops " + tag + " on " + b, b.toHost(dx2), b.toHost(dx));
        assertBitEqual("bn+relu dgamma vs the two ops " + tag + " on " + b, b.toHost(dg2), b.toHost(dg));
        assertBitEqual("bn+relu dbeta vs the two ops " + tag + " on " + b, b.toHost(db2), b.toHost(db));
        return new float[][] {b.toHost(y), b.toHost(dx), b.toHost(dg), b.toHost(db)};
    }
}
