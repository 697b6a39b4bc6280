package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.ConvGeometry;
import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/** 2-D convolution, NCHW input, OIHW weight, optional bias; equal stride and padding in both directions. */
public final class Conv2dFn extends Function {
    private final Variable x, w, bias;
    private final ConvGeometry g;

    private Conv2dFn(Backend b, Variable x, Variable w, Variable bias, ConvGeometry g) {
        super(b, x, w, bias);
        this.x = x; this.w = w; this.bias = bias; this.g = g;
    }

    public static Variable apply(Backend b, Variable x, Variable w, Variable bias, int stride, int pad) {
        ConvGeometry g = geometry(x.shape(), w.shape(), stride, pad);
        if (bias != null) ShapeMismatchException.require("conv2d", "bias", g.biasShape(), bias.shape());
        Tensor y = b.empty(g.outputShape());
        b.conv2dForward(x.value(), w.value(), bias == null ? null : bias.value(), y, g);
        return new Conv2dFn(b, x, w, bias, g).finish(y);
    }

    static ConvGeometry geometry(Shape x, Shape w, int stride, int pad) {
        if (x.rank() != 4) throw new ShapeMismatchException("conv2d", "input has shape " + x + " but an NCHW tensor was expected");
        if (w.rank() != 4 || w.dim(1) != x.dim(1))
            throw new ShapeMismatchException("conv2d", "weight has shape " + w + " but [O, " + x.dim(1) + ", kH, kW] was expected for input " + x);
        return new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3), stride, stride, pad, pad);
    }

    @Override public String name() { return "conv2d"; }

    @Override protected void backward(Tensor dy) {
        if (x.requiresGrad()) {
            Tensor dx = backend.empty(x.shape());
            backend.conv2dBackwardData(dy, w.value(), dx, g);
            x.accumulateGrad(backend, dx, true);
        }
        boolean wantBias = bias != null && bias.requiresGrad();
        if (w.requiresGrad() || wantBias) {
            Tensor dw = backend.empty(w.shape());
            Tensor db = wantBias ? backend.empty(bias.shape()) : null;
            backend.conv2dBackwardFilter(x.value(), dy, dw, db, g);
            w.accumulateGrad(backend, dw, true);
            if (wantBias) bias.accumulateGrad(backend, db, true);
        }
    }
}
