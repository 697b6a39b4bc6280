package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/** A view with another shape of the same element count (no copy in forward or backward). */
public final class ReshapeFn extends Function {
    private final Variable x;

    private ReshapeFn(Backend b, Variable x) { super(b, x); this.x = x; }

    public static Variable apply(Backend b, Variable x, Shape to) {
        return new ReshapeFn(b, x).finish(x.value().reshape(to));
    }

    /** [N, d1, d2, ...] -> [N, d1*d2*...]. */
    public static Variable flatten(Backend b, Variable x) {
        return apply(b, x, Shape.of(x.shape().dim(0), x.shape().sizeFrom(1)));
    }

    @Override public String name() { return "reshape"; }

    @Override protected void backward(Tensor dy) {
        // dy belongs to this function's output alone, so its storage can be handed on as a view.
        x.accumulateGrad(backend, dy.reshape(x.shape()), true);
    }
}
