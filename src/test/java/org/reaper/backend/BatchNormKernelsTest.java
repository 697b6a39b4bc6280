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
}
