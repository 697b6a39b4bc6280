package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.tensor.Tensor;

/** A trainable tensor of a module. Its full PyTorch-style name is assigned by the owning model. */
public final class Parameter extends Variable {
    public Parameter(Tensor value) { super(value, true); }
}
