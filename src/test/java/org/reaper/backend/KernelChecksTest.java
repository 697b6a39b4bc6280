package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/** The shared argument checks: returned sizes, and which calls they accept or reject (independent of any backend's kernels). */
class KernelChecksTest {
    private static Backend b;

    @BeforeAll static void open() { b = new CpuBackend(1); }
    @AfterAll static void close() { b.close(); }

    private static Tensor t(int... dims) { return b.empty(Shape.of(dims)); }

    @Test void gemmReturnsSizesOfTheTransposedOperands() {
        KernelChecks.GemmDims d = KernelChecks.gemm(true, false, t(5, 3), t(5, 7), t(3, 7));
        assertEquals(new KernelChecks.GemmDims(3, 7, 5), d);
        d = KernelChecks.gemm(false, true, t(3, 5), t(7, 5), t(3, 7));
        assertEquals(new KernelChecks.GemmDims(3, 7, 5), d);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> KernelChecks.gemm(false, false, t(3, 5), t(4, 7), t(3, 7)));
        assertEquals("gemm", e.op());
        assertTrue(e.getMessage().contains("[3, 5]") && e.getMessage().contains("[4, 7]"), e.getMessage());
    }

    @Test void linearReturnsBatchInAndOut() {
        assertEquals(new KernelChecks.LinearDims(4, 6, 2), KernelChecks.linearForward(t(4, 6), t(2, 6), null, t(4, 2)));
        assertEquals(new KernelChecks.LinearDims(4, 6, 2),
                KernelChecks.linearBackward(t(4, 6), t(2, 6), t(4, 2), null, t(2, 6), t(2)));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> KernelChecks.linearForward(t(4, 6), t(2, 6), t(3), t(4, 2)));
        assertTrue(e.getMessage().startsWith("linearForward: bias"), e.getMessage());
    }

    @Test void batchNormTrainNeedsTwoValuesPerChannelButEvalDoesNot() {
        Tensor x = t(1, 3, 1, 1), c = t(3);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> KernelChecks.batchNormTrain(x, c, c, c, c, t(1, 3, 1, 1), c, c));
        assertEquals("batchNormTrain", e.op());
        assertDoesNotThrow(() -> KernelChecks.batchNormEval(x, c, c, c, c, t(1, 3, 1, 1)));
        e = assertThrows(ShapeMismatchException.class, () -> KernelChecks.batchNormEval(t(3), c, c, c, c, t(3)));
        assertTrue(e.getMessage().contains("[N, C, ...]"), e.getMessage());
    }

    @Test void nullArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelChecks.avgPool2dBackward(t(1, 1, 1, 1), t(1, 1, 2, 2), null));
        assertEquals("avgPool2dBackward: geometry is null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KernelChecks.sgdStep(t(2), t(2), null, 0.9f));
        assertEquals("sgdStep: momentumBuf is null", e.getMessage());
        assertFalse(e instanceof ShapeMismatchException);
        assertDoesNotThrow(() -> KernelChecks.sgdStep(t(2), t(2), null, 0f));
    }

    @Test void rowsAreDimZeroAndScalarsHaveNone() {
        assertEquals(4, KernelChecks.scaleRows(t(4, 3, 3, 3), t(4)));
        assertEquals(4, KernelChecks.orthoScores(t(4, 27), OrthoOptions.PAPER, t(4)));
        assertThrows(ShapeMismatchException.class, () -> KernelChecks.rows("scaleRows", t()));
    }

    @Test void rangesOfScalarArgumentsAreChecked() {
        Tensor logits = t(2, 3), labels = t(2);
        assertThrows(IllegalArgumentException.class, () -> KernelChecks.softmaxCrossEntropy(logits, labels, 1.5f, t(2, 3), t(2)));
        assertThrows(IllegalArgumentException.class, () -> KernelChecks.dropout(logits, -0.1f, t(2, 3), t(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> KernelChecks.adamStep(labels, labels, labels, labels, 0));
        assertDoesNotThrow(() -> KernelChecks.softmaxCrossEntropyBackward(logits, labels, 0.1f, t(2, 3)));
    }
}
