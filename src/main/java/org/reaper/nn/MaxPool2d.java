package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.MaxPool2dFn;
import org.reaper.backend.Backend;

public final class MaxPool2d extends Module {
    private final int kernel, stride, pad;

    public MaxPool2d(Backend b, int kernel, int stride, int pad) {
        super(b);
        this.kernel = kernel; this.stride = stride; this.pad = pad;
    }

    /** kernel x kernel window with stride = kernel, no padding (nn.MaxPool2d(k)). */
    public MaxPool2d(Backend b, int kernel) { this(b, kernel, kernel, 0); }

    @Override public Variable forward(Variable x) { return MaxPool2dFn.apply(backend, x, kernel, stride, pad); }

    public int kernel() { return kernel; }
    public int stride() { return stride; }
}
