package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.Conv2dFn;
import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;

/** Square-kernel 2-D convolution: parameters "weight" [out, in, k, k] (OIHW) and optional "bias" [out]. */
public final class Conv2d extends Module {
    private final int inChannels, outChannels, kernel, stride, pad;
    private final Parameter weight, bias;

    public Conv2d(Backend b, int inChannels, int outChannels, int kernel, int stride, int pad, boolean withBias) {
        super(b);
        this.inChannels = inChannels; this.outChannels = outChannels;
        this.kernel = kernel; this.stride = stride; this.pad = pad;
        this.weight = registerParameter("weight", Persistent.filled(b, Shape.of(outChannels, inChannels, kernel, kernel), 0f));
        this.bias = withBias ? registerParameter("bias", Persistent.filled(b, Shape.of(outChannels), 0f)) : null;
    }

    @Override public Variable forward(Variable x) { return Conv2dFn.apply(backend, x, weight, bias, stride, pad); }

    public Parameter weight() { return weight; }
    /** Null when the layer has no bias. */
    public Parameter bias() { return bias; }
    public int inChannels() { return inChannels; }
    public int outChannels() { return outChannels; }
    public int kernel() { return kernel; }
    public int stride() { return stride; }
    public int pad() { return pad; }
    /** in * k * k, as in PyTorch's fan-in. */
    public int fanIn() { return inChannels * kernel * kernel; }
    public int fanOut() { return outChannels * kernel * kernel; }
}
