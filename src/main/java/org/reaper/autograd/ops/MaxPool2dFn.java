package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/**
 * 2-D max pooling (PyTorch floor mode). When a backward will follow, the forward keeps where each window's
 * maximum was (as PyTorch keeps its indices), so the backward only routes dy and never reads x again.
 */
public final class MaxPool2dFn extends Function {
    private final Variable x;
    private final PoolGeometry g;
    private final Tensor argmax;

    private MaxPool2dFn(Backend b, Variable x, PoolGeometry g, Tensor argmax) { super(b, x); this.x = x; this.g = g; this.argmax = argmax; }

    public static Variable apply(Backend b, Variable x, int kernel, int stride, int pad) {
        PoolGeometry g = PoolGeometry.of(x.shape(), kernel, stride, pad);
        Tensor y = b.empty(g.outputShape());
        Tensor argmax = Tape.isRecording() && x.requiresGrad() ? b.empty(g.outputShape()) : null;
        b.maxPool2dForward(x.value(), y, argmax, g);
        return new MaxPool2dFn(b, x, g, argmax).finish(y);
    }

    @Override public String name() { return "maxpool2d"; }

    @Override protected void backward(Tensor dy) {
        if (!x.requiresGrad()) return;
        Tensor dx = backend.empty(x.shape());
        backend.maxPool2dBackward(argmax, dy, dx, g);
        x.accumulateGrad(backend, dx, true);
    }
}
