package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.LinearFn;
import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;

/** Fully connected layer: "weight" [out, in], optional "bias" [out]. */
public final class Linear extends Module {
    private final int inFeatures, outFeatures;
    private final Parameter weight, bias;

    public Linear(Backend b, int inFeatures, int outFeatures, boolean withBias) {
        super(b);
        this.inFeatures = inFeatures; this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Persistent.filled(b, Shape.of(outFeatures, inFeatures), 0f));
        this.bias = withBias ? registerParameter("bias", Persistent.filled(b, Shape.of(outFeatures), 0f)) : null;
    }

    public Linear(Backend b, int inFeatures, int outFeatures) { this(b, inFeatures, outFeatures, true); }

    @Override public Variable forward(Variable x) { return LinearFn.apply(backend, x, weight, bias); }

    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }
    public int inFeatures() { return inFeatures; }
    public int outFeatures() { return outFeatures; }
}
