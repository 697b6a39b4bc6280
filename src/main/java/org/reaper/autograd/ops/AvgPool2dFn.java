package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** 2-D average pooling (count_include_pad), including global average pooling to [N,C,1,1]. */
public final class AvgPool2dFn extends Function {
    private final Variable x;
    private final PoolGeometry g;

    private AvgPool2dFn(Backend b, Variable x, PoolGeometry g) { super(b, x); this.x = x; this.g = g; }

    public static Variable apply(Backend b, Variable x, int kernel, int stride, int pad) {
        return apply(b, x, PoolGeometry.of(x.shape(), kernel, stride, pad));
    }

    /** Mean over each channel's whole plane: [N,C,H,W] -> [N,C,1,1]. */
    public static Variable global(Backend b, Variable x) { return apply(b, x, PoolGeometry.global(x.shape())); }

    static Variable apply(Backend b, Variable x, PoolGeometry g) {
        Tensor y = b.empty(g.outputShape());
        b.avgPool2dForward(x.value(), y, g);
        return new AvgPool2dFn(b, x, g).finish(y);
    }

    @Override public String name() { return "avgpool2d"; }

    @Override protected void backward(Tensor dy) {
        if (!x.requiresGrad()) return;
        Tensor dx = backend.empty(x.shape());
        backend.avgPool2dBackward(dy, dx, g);
        x.accumulateGrad(backend, dx, true);
    }
}
