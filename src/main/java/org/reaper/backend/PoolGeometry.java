package org.reaper.backend;

import org.reaper.tensor.Shape;

/**
 * A 2-D max- or average-pooling window over NCHW input (PyTorch semantics, floor mode; average
 * pooling counts padded zeros, i.e. {@code count_include_pad=True}). Global pooling is a window
 * the size of the input.
 */
public record PoolGeometry(int batch, int channels, int inH, int inW,
                           int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {

    public PoolGeometry {
        if (batch <= 0 || channels <= 0 || inH <= 0 || inW <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0
                || padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW)
            throw new IllegalArgumentException("invalid pooling geometry " + this);
        if (inH + 2 * padH < kernelH || inW + 2 * padW < kernelW)
            throw new IllegalArgumentException("pooling window " + kernelH + "x" + kernelW + " larger than input " + inH + "x" + inW);
    }

    public static PoolGeometry of(Shape input, int kernel, int stride, int pad) {
        if (input.rank() != 4) throw new IllegalArgumentException("pool2d expects an NCHW input, got shape " + input);
        return new PoolGeometry(input.dim(0), input.dim(1), input.dim(2), input.dim(3), kernel, kernel, stride, stride, pad, pad);
    }

    public static PoolGeometry global(Shape input) {
        if (input.rank() != 4) throw new IllegalArgumentException("pool2d expects an NCHW input, got shape " + input);
        return new PoolGeometry(input.dim(0), input.dim(1), input.dim(2), input.dim(3), input.dim(2), input.dim(3), 1, 1, 0, 0);
    }

    public int outH() { return (inH + 2 * padH - kernelH) / strideH + 1; }
    public int outW() { return (inW + 2 * padW - kernelW) / strideW + 1; }
    public Shape inputShape() { return Shape.of(batch, channels, inH, inW); }
    public Shape outputShape() { return Shape.of(batch, channels, outH(), outW()); }
}
