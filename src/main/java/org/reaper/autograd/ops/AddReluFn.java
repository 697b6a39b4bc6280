package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/**
 * y = max(a + b, 0), same shapes: a residual connection and the ReLU after it, one pass over the data
 * forward. Backward masks dy once to where y > 0 and gives that gradient to both inputs.
 */
public final class AddReluFn extends Function {
    private final Variable a, b;
    private Tensor y;

    private AddReluFn(Backend be, Variable a, Variable b) { super(be, a, b); this.a = a; this.b = b; }

    public static Variable apply(Backend be, Variable a, Variable b) {
        ShapeMismatchException.require("add+relu", "second operand", a.shape(), b.shape());
        Tensor y = be.empty(a.shape());
        be.addRelu(a.value(), b.value(), y);
        AddReluFn f = new AddReluFn(be, a, b);
        f.y = y;
        return f.finish(y);
    }

    @Override public String name() { return "add+relu"; }

    @Override protected void backward(Tensor dy) {
        if (!a.requiresGrad() && !b.requiresGrad()) return;
        Tensor g = backend.empty(dy.shape());
        backend.reluBackward(y, dy, g);
        AddFn.giveToBoth(backend, a, b, g);
    }
}
