package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.ReshapeFn;
import org.reaper.backend.Backend;

/** [N, ...] -> [N, prod(...)], a view. */
public final class Flatten extends Module {
    public Flatten(Backend b) { super(b); }

    @Override public Variable forward(Variable x) { return ReshapeFn.flatten(backend, x); }
}
