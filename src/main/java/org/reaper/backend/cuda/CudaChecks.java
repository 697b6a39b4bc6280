package org.reaper.backend.cuda;

import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/** Argument checks with the same messages as the CPU backend (op name, what, both shapes). */
final class CudaChecks {
    private CudaChecks() {}

    static void requireSame(String op, String what, Tensor expected, Tensor actual) {
        if (expected == null) throw new IllegalArgumentException(op + ": input is null");
        if (actual == null) throw new IllegalArgumentException(op + ": " + what + " is null");
        ShapeMismatchException.require(op, what, expected.shape(), actual.shape());
    }

    static void requireShape(String op, String what, Shape expected, Tensor actual) {
        if (actual == null) throw new IllegalArgumentException(op + ": " + what + " is null");
        ShapeMismatchException.require(op, what, expected, actual.shape());
    }

    static void notNull(String op, String what, Object o) {
        if (o == null) throw new IllegalArgumentException(op + ": " + what + " is null");
    }
}
