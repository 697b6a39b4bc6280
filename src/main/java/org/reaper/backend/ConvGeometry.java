package org.reaper.backend;

import org.reaper.tensor.Shape;

/**
 * The sizes of one 2-D convolution (NCHW activations, OIHW weights, groups = 1, dilation = 1).
 * Output size follows PyTorch: {@code (in + 2*pad - k) / stride + 1}.
 */
public record ConvGeometry(int batch, int inChannels, int inH, int inW,
                           int outChannels, int kernelH, int kernelW,
                           int strideH, int strideW, int padH, int padW) {

    public ConvGeometry {
        if (batch <= 0 || inChannels <= 0 || inH <= 0 || inW <= 0 || outChannels <= 0 || kernelH <= 0 || kernelW <= 0
                || strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0)
            throw new IllegalArgumentException("invalid convolution geometry " + this);
        if (inH + 2 * padH < kernelH || inW + 2 * padW < kernelW)
            throw new IllegalArgumentException("kernel " + kernelH + "x" + kernelW + " larger than padded input " + inH + "x" + inW);
    }

    /** Square kernel, equal stride and padding in both directions. */
    public static ConvGeometry of(Shape input, int outChannels, int kernel, int stride, int pad) {
        if (input.rank() != 4) throw new IllegalArgumentException("conv2d expects an NCHW input, got shape " + input);
        return new ConvGeometry(input.dim(0), input.dim(1), input.dim(2), input.dim(3), outChannels, kernel, kernel, stride, stride, pad, pad);
    }

    public int outH() { return (inH + 2 * padH - kernelH) / strideH + 1; }
    public int outW() { return (inW + 2 * padW - kernelW) / strideW + 1; }
    /** Length of one flattened filter: inChannels * kernelH * kernelW. */
    public int patchSize() { return inChannels * kernelH * kernelW; }

    public Shape inputShape() { return Shape.of(batch, inChannels, inH, inW); }
    public Shape weightShape() { return Shape.of(outChannels, inChannels, kernelH, kernelW); }
    public Shape outputShape() { return Shape.of(batch, outChannels, outH(), outW()); }
    public Shape biasShape() { return Shape.of(outChannels); }

    /** Multiply-add count of the forward pass. */
    public long macs() { return (long) batch * outChannels * outH() * outW() * patchSize(); }
}
