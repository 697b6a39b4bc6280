package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.rng.Philox;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Tensor;

/** Inverted dropout with a Philox mask: y = x * mask, mask in {0, 1/(1-p)}. */
public final class DropoutFn extends Function {
    private final Variable x;
    private Tensor mask;

    private DropoutFn(Backend b, Variable x) { super(b, x); this.x = x; }

    /** Draws the mask from the next blocks of {@code rng}. */
    public static Variable apply(Backend b, Variable x, float p, RandomStream rng) {
        long offset = rng.reserve(Philox.blocksForUniform(x.value().numel()));
        return apply(b, x, p, rng.seed(), offset);
    }

    public static Variable apply(Backend b, Variable x, float p, long seed, long offset) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must lie in [0, 1), got " + p);
        Tensor mask = b.empty(x.shape());
        Tensor y = b.empty(x.shape());
        b.dropoutForward(x.value(), p, seed, offset, mask, y);
        DropoutFn f = new DropoutFn(b, x);
        f.mask = mask;
        return f.finish(y);
    }

    @Override public String name() { return "dropout"; }

    @Override protected void backward(Tensor dy) {
        if (!x.requiresGrad()) return;
        Tensor dx = backend.empty(x.shape());
        backend.mul(dy, mask, dx);
        x.accumulateGrad(backend, dx, true);
    }
}
