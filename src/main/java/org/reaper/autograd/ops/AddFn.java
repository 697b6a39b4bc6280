package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/** y = a + b, same shapes (residual connections). */
public final class AddFn extends Function {
    private final Variable a, b;

    private AddFn(Backend be, Variable a, Variable b) { super(be, a, b); this.a = a; this.b = b; }

    public static Variable apply(Backend be, Variable a, Variable b) {
        ShapeMismatchException.require("add", "second operand", a.shape(), b.shape());
        Tensor y = be.empty(a.shape());
        be.add(a.value(), b.value(), y);
        return new AddFn(be, a, b).finish(y);
    }

    @Override public String name() { return "add"; }

    @Override protected void backward(Tensor dy) { giveToBoth(backend, a, b, dy); }

    /** Both inputs of a sum receive gradient g: it may be handed over to one input only; the other gets a copy. */
    static void giveToBoth(Backend backend, Variable a, Variable b, Tensor g) {
        boolean handed = false;
        if (a.requiresGrad()) { a.accumulateGrad(backend, g, true); handed = true; }
        if (b.requiresGrad()) b.accumulateGrad(backend, g, !handed);
    }
}
