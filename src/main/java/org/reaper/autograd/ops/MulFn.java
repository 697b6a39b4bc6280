package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/** y = a * b elementwise, same shapes. */
public final class MulFn extends Function {
    private final Variable a, b;

    private MulFn(Backend be, Variable a, Variable b) { super(be, a, b); this.a = a; this.b = b; }

    public static Variable apply(Backend be, Variable a, Variable b) {
        ShapeMismatchException.require("mul", "second operand", a.shape(), b.shape());
        Tensor y = be.empty(a.shape());
        be.mul(a.value(), b.value(), y);
        return new MulFn(be, a, b).finish(y);
    }

    @Override public String name() { return "mul"; }

    @Override protected void backward(Tensor dy) {
        if (a.requiresGrad()) {
            Tensor da = backend.empty(a.shape());
            backend.mul(dy, b.value(), da);
            a.accumulateGrad(backend, da, true);
        }
        if (b.requiresGrad()) {
            Tensor db = backend.empty(b.shape());
            backend.mul(dy, a.value(), db);
            b.accumulateGrad(backend, db, true);
        }
    }
}
