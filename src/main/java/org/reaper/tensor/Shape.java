package org.reaper.tensor;

import java.util.Arrays;

/** An immutable list of dimensions (row-major, the last dimension varies fastest). */
public final class Shape {
    private final int[] dims;
    private final int numel;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
        this.dims = dims;
        this.numel = (int) n;
    }

    public static Shape of(int... dims) { return new Shape(dims.clone()); }

    public int rank() { return dims.length; }
    public int dim(int i) { return dims[i < 0 ? dims.length + i : i]; }
    public int numel() { return numel; }
    public int[] dims() { return dims.clone(); }

    /** Product of the dimensions from {@code from} (inclusive) to the end. */
    public int sizeFrom(int from) {
        int n = 1;
        for (int i = from; i < dims.length; i++) n *= dims[i];
        return n;
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }
    @Override public String toString() { return Arrays.toString(dims); }
}
