package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.Tensor;

/** y = s * x for a constant s. */
public final class ScaleFn extends Function {
    private final Variable x;
    private final float s;

    private ScaleFn(Backend b, Variable x, float s) { super(b, x); this.x = x; this.s = s; }

    public static Variable apply(Backend b, Variable x, float s) {
        Tensor y = b.empty(x.shape());
        b.scale(x.value(), s, y);
        return new ScaleFn(b, x, s).finish(y);
    }

    @Override public String name() { return "scale"; }

    @Override protected void backward(Tensor dy) {
        if (!x.requiresGrad()) return;
        Tensor dx = backend.empty(x.shape());
        backend.scale(dy, s, dx);
        x.accumulateGrad(backend, dx, true);
    }
}
