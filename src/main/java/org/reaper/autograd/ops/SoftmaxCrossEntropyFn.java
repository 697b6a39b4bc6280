package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/**
 * Mean softmax cross-entropy over the batch, with label smoothing: the loss is a one-element
 * Variable; {@link #meanLoss()} gives the same value as a double on the host (computed once,
 * from the per-sample losses, with {@link Backend#sum}). The softmax probabilities are kept for
 * backward and for metrics.
 */
public final class SoftmaxCrossEntropyFn extends Function {
    private final Variable logits;
    private final Tensor labels;
    private final float smoothing;
    private Tensor probs;
    private double meanLoss;
    private Variable loss;

    private SoftmaxCrossEntropyFn(Backend b, Variable logits, Tensor labels, float smoothing) {
        super(b, logits);
        this.logits = logits; this.labels = labels; this.smoothing = smoothing;
    }

    /** The loss Variable only. */
    public static Variable apply(Backend b, Variable logits, Tensor labels, float smoothing) {
        return compute(b, logits, labels, smoothing).loss();
    }

    /** Runs the forward and returns the function, giving access to the loss, its host value and the probabilities. */
    public static SoftmaxCrossEntropyFn compute(Backend b, Variable logits, Tensor labels, float smoothing) {
        Shape s = logits.shape();
        if (s.rank() != 2) throw new ShapeMismatchException("cross_entropy", "logits have shape " + s + " but [N, classes] was expected");
        ShapeMismatchException.require("cross_entropy", "labels", Shape.of(s.dim(0)), labels.shape());
        if (!(smoothing >= 0f && smoothing < 1f)) throw new IllegalArgumentException("label smoothing must lie in [0, 1), got " + smoothing);
        SoftmaxCrossEntropyFn f = new SoftmaxCrossEntropyFn(b, logits, labels, smoothing);
        f.probs = b.empty(s);
        Tensor perSample = b.empty(Shape.of(s.dim(0)));
        b.softmaxCrossEntropy(logits.value(), labels, smoothing, f.probs, perSample);
        f.meanLoss = b.sum(perSample) / s.dim(0);
        Tensor value = b.empty(Shape.of(1));
        b.fill(value, (float) f.meanLoss);
        f.loss = f.finish(value);
        return f;
    }

    public Variable loss() { return loss; }
    public double meanLoss() { return meanLoss; }
    public Tensor probs() { return probs; }

    @Override public String name() { return "cross_entropy"; }

    @Override protected void backward(Tensor dy) {
        if (!logits.requiresGrad()) return;
        float seed = backend.toHost(dy)[0];
        Tensor dlogits = backend.empty(logits.shape());
        backend.softmaxCrossEntropyBackward(probs, labels, smoothing, seed / logits.shape().dim(0), dlogits);
        logits.accumulateGrad(backend, dlogits, true);
    }
}
