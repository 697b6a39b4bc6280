package org.reaper.io;

import java.util.Arrays;

/**
 * A tensor on the host for files: its safetensors dtype name ("F32" for what Reaper writes; other
 * dtypes are converted from/to float on write/read), shape (row-major) and values as floats.
 */
public record HostTensor(String dtype, int[] shape, float[] data) {

    public HostTensor {
        DType.parse(dtype, "tensor");
        long n = numel(shape);
        if (n != data.length)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, data has " + data.length);
    }

    /** A float32 tensor. */
    public static HostTensor f32(int[] shape, float[] data) { return new HostTensor("F32", shape.clone(), data); }

    public int numel() { return data.length; }

    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        return n;
    }

    @Override public boolean equals(Object o) {
        return o instanceof HostTensor t && dtype.equals(t.dtype) && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }
    @Override public int hashCode() { return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data); }
    @Override public String toString() { return "HostTensor(" + dtype + ", " + Arrays.toString(shape) + ")"; }
}
