package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.BatchNorm2dFn;
import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * Batch norm over NCHW channels, PyTorch names: "weight" (gamma, 1), "bias" (beta, 0); buffers
 * "running_mean" (0), "running_var" (1), "num_batches_tracked" (a one-element float tensor).
 * Momentum 0.1, eps 1e-5. Checkpoint loading copies into the buffer tensors (they are not replaced).
 */
public final class BatchNorm2d extends Module {
    public static final float MOMENTUM = 0.1f, EPS = 1e-5f;

    private final int channels;
    private final Parameter weight, bias;
    private final Tensor runningMean, runningVar, numBatchesTracked, one;

    public BatchNorm2d(Backend b, int channels) {
        super(b);
        this.channels = channels;
        Shape c = Shape.of(channels);
        weight = registerParameter("weight", Persistent.filled(b, c, 1f));
        bias = registerParameter("bias", Persistent.filled(b, c, 0f));
        runningMean = registerBuffer("running_mean", Persistent.filled(b, c, 0f));
        runningVar = registerBuffer("running_var", Persistent.filled(b, c, 1f));
        numBatchesTracked = registerBuffer("num_batches_tracked", Persistent.filled(b, Shape.of(1), 0f));
        one = Persistent.filled(b, Shape.of(1), 1f);
    }

    @Override public Variable forward(Variable x) { return forward(x, false); }

    /** max(this(x), 0) in one function: the backend can fuse the ReLU into batch norm's passes. */
    public Variable forwardRelu(Variable x) { return forward(x, true); }

    private Variable forward(Variable x, boolean relu) {
        boolean training = isTraining();
        Variable y = BatchNorm2dFn.apply(backend, x, weight, bias, runningMean, runningVar, MOMENTUM, EPS, training, relu);
        if (training) backend.axpy(1f, one, numBatchesTracked);
        return y;
    }

    public int channels() { return channels; }
    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }
    public Tensor runningMean() { return runningMean; }
    public Tensor runningVar() { return runningVar; }
    public Tensor numBatchesTracked() { return numBatchesTracked; }
}
