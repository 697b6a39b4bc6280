package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/** y[N,out] = x[N,in] w[out,in]^T + bias[out] (PyTorch Linear layout; bias may be null). */
public final class LinearFn extends Function {
    private final Variable x, w, bias;

    private LinearFn(Backend b, Variable x, Variable w, Variable bias) {
        super(b, x, w, bias);
        this.x = x; this.w = w; this.bias = bias;
    }

    public static Variable apply(Backend b, Variable x, Variable w, Variable bias) {
        if (x.shape().rank() != 2 || w.shape().rank() != 2 || w.shape().dim(1) != x.shape().dim(1))
            throw new ShapeMismatchException("linear", "input " + x.shape() + " does not fit weight " + w.shape() + " (expected [N,in] and [out,in])");
        if (bias != null) ShapeMismatchException.require("linear", "bias", Shape.of(w.shape().dim(0)), bias.shape());
        Tensor y = b.empty(Shape.of(x.shape().dim(0), w.shape().dim(0)));
        b.linearForward(x.value(), w.value(), bias == null ? null : bias.value(), y);
        return new LinearFn(b, x, w, bias).finish(y);
    }

    @Override public String name() { return "linear"; }

    @Override protected void backward(Tensor dy) {
        Tensor dx = x.requiresGrad() ? backend.empty(x.shape()) : null;
        boolean wantBias = bias != null && bias.requiresGrad();
        Tensor db = wantBias ? backend.empty(bias.shape()) : null;
        Tensor dw = backend.empty(w.shape());
        backend.linearBackward(x.value(), w.value(), dy, dx, dw, db);
        if (dx != null) x.accumulateGrad(backend, dx, true);
        w.accumulateGrad(backend, dw, true);
        if (wantBias) bias.accumulateGrad(backend, db, true);
    }
}
