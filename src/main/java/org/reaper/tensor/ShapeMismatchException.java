package org.reaper.tensor;

/** Thrown when an op is called with shapes that do not fit; the message names the op and both shapes. */
public class ShapeMismatchException extends IllegalArgumentException {
    private final String op;

    public ShapeMismatchException(String op, String detail) {
        super(op + ": " + detail);
        this.op = op;
    }

    public String op() { return op; }

    /** Throws unless {@code actual} equals {@code expected}. */
    public static void require(String op, String what, Shape expected, Shape actual) {
        if (!expected.equals(actual))
            throw new ShapeMismatchException(op, what + " has shape " + actual + " but " + expected + " was expected");
    }
}
