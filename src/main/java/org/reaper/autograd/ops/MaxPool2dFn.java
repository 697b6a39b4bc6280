package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** 2-D max pooling (PyTorch floor mode). */
public final class MaxPool2dFn extends Function {
    private final Variable x;
    private final PoolGeometry g;

    private MaxPool2dFn(Backend b, Variable x, PoolGeometry g) { super(b, x); this.x = x; this.g = g; }

    public static Variable apply(Backend b, Variable x, int kernel, int stride, int pad) {
        PoolGeometry g = PoolGeometry.of(x.shape(), kernel, stride, pad);
        Tensor y = b.empty(g.outputShape());
        b.maxPool2dForward(x.value(), y, g);
        return new MaxPool2dFn(b, x, g).finish(y);
    }

    @Override public String name() { return "maxpool2d"; }

    @Override protected void backward(Tensor dy) {
        if (!x.requiresGrad()) return;
        Tensor dx = backend.empty(x.shape());
        backend.maxPool2dBackward(x.value(), dy, dx, g);
        x.accumulateGrad(backend, dx, true);
    }
}
