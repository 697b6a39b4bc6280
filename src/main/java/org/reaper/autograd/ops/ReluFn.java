package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.Tensor;

/** y = max(x, 0); backward routes dy where y > 0. */
public final class ReluFn extends Function {
    private final Variable x;
    private Tensor y;

    private ReluFn(Backend b, Variable x) { super(b, x); this.x = x; }

    public static Variable apply(Backend b, Variable x) {
        Tensor y = b.empty(x.shape());
        b.relu(x.value(), y);
        ReluFn f = new ReluFn(b, x);
        f.y = y;
        return f.finish(y);
    }

    @Override public String name() { return "relu"; }

    @Override protected void backward(Tensor dy) {
        if (!x.requiresGrad()) return;
        Tensor dx = backend.empty(x.shape());
        backend.reluBackward(y, dy, dx);
        x.accumulateGrad(backend, dx, true);
    }
}
