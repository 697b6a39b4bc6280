package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** Every kernel rejects mismatched shapes with a message naming the op and both shapes. */
class KernelShapeMismatchTest {
    private static void expect(String op, String shapeA, String shapeB, Executable call) {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, call, op);
        String m = e.getMessage();
        assertTrue(m.contains(op), "message should name " + op + ": " + m);
        assertTrue(m.contains(shapeA) && m.contains(shapeB), "message should name " + shapeA + " and " + shapeB + ": " + m);
    }

    @ParameterizedTest(autoCloseArguments = false) @MethodSource("org.reaper.backend.TestBackends#all")
    void mismatchesNameOpAndShapes(Backend b) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = b.zeros(Shape.of(2, 3)), c = b.zeros(Shape.of(3, 2)), v3 = b.zeros(Shape.of(3)), v4 = b.zeros(Shape.of(4));
            expect("copy", "[2, 3]", "[3, 2]", () -> b.copy(a, c));
            expect("add", "[2, 3]", "[3, 2]", () -> b.add(a, c, a));
            expect("mul", "[2, 3]", "[3, 2]", () -> b.mul(a, a, c));
            expect("scale", "[2, 3]", "[3, 2]", () -> b.scale(a, 2f, c));
            expect("axpy", "[2, 3]", "[3, 2]", () -> b.axpy(1f, a, c));
            expect("relu", "[2, 3]", "[3, 2]", () -> b.relu(a, c));
            expect("reluBackward", "[2, 3]", "[3, 2]", () -> b.reluBackward(a, c, a));

            Tensor x = b.zeros(Shape.of(2, 3, 4, 4)), y = b.zeros(Shape.of(2, 3, 4, 4));
            expect("batchNormTrain", "[3]", "[4]", () -> b.batchNormTrain(x, v4, v3, v3, v3, 0.1f, 1e-5f, y, v3, v3));
            expect("batchNormEval", "[2, 3, 4, 4]", "[3, 2]", () -> b.batchNormEval(x, v3, v3, v3, v3, 1e-5f, c));
            expect("batchNormBackward", "[3]", "[4]", () -> b.batchNormBackward(x, y, v3, v3, v3, y, v4, v3));

            PoolGeometry g = PoolGeometry.of(x.shape(), 2, 2, 0);
            Tensor wrongOut = b.zeros(Shape.of(2, 3, 3, 3));
            Tensor out = b.zeros(g.outputShape());
            expect("maxPool2dForward", "[2, 3, 2, 2]", "[2, 3, 3, 3]", () -> b.maxPool2dForward(x, wrongOut, null, g));
            expect("maxPool2dForward", "[2, 3, 2, 2]", "[2, 3, 3, 3]", () -> b.maxPool2dForward(x, out, wrongOut, g));
            expect("maxPool2dBackward", "[2, 3, 2, 2]", "[2, 3, 3, 3]", () -> b.maxPool2dBackward(wrongOut, out, x, g));
            expect("maxPool2dBackward", "[2, 3, 2, 2]", "[2, 3, 3, 3]", () -> b.maxPool2dBackward(out, wrongOut, x, g));
            expect("avgPool2dForward", "[2, 3, 4, 4]", "[3, 2]", () -> b.avgPool2dForward(c, wrongOut, g));
            expect("avgPool2dBackward", "[2, 3, 2, 2]", "[2, 3, 3, 3]", () -> b.avgPool2dBackward(wrongOut, y, g));

            Tensor logits = b.zeros(Shape.of(2, 3)), labels = b.zeros(Shape.of(2));
            expect("softmaxCrossEntropy", "[2]", "[3]", () -> b.softmaxCrossEntropy(logits, v3, 0f, a, labels));
            expect("softmaxCrossEntropyBackward", "[2, 3]", "[3, 2]", () -> b.softmaxCrossEntropyBackward(logits, labels, 0f, 1f, c));
            expect("countCorrect", "[2]", "[4]", () -> b.countCorrect(logits, v4));
            expect("dropoutForward", "[2, 3]", "[3, 2]", () -> b.dropoutForward(a, 0.5f, 1, 0, c, a));

            expect("sgdStep", "[2, 3]", "[3, 2]", () -> b.sgdStep(a, c, a, 0.1f, 0.9f, 0f, 0f, false, true));
            expect("adamStep", "[2, 3]", "[3, 2]", () -> b.adamStep(a, a, c, a, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1));
            expect("scaleRows", "[2]", "[3]", () -> b.scaleRows(a, v3));
            expect("orthoScores", "[2]", "[3]", () -> b.orthoScores(a, OrthoOptions.PAPER, v3));
        }
    }
}
