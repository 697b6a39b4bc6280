package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.AvgPool2dFn;
import org.reaper.backend.Backend;

/** Average pooling; {@link #global} averages each channel's whole plane to [N, C, 1, 1]. */
public final class AvgPool2d extends Module {
    private final int kernel, stride, pad;
    private final boolean global;

    private AvgPool2d(Backend b, int kernel, int stride, int pad, boolean global) {
        super(b);
        this.kernel = kernel; this.stride = stride; this.pad = pad; this.global = global;
    }

    public AvgPool2d(Backend b, int kernel, int stride, int pad) { this(b, kernel, stride, pad, false); }

    public static AvgPool2d global(Backend b) { return new AvgPool2d(b, 0, 0, 0, true); }

    @Override public Variable forward(Variable x) {
        return global ? AvgPool2dFn.global(backend, x) : AvgPool2dFn.apply(backend, x, kernel, stride, pad);
    }

    public boolean isGlobal() { return global; }
}
