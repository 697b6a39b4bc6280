package org.reaper.autograd;

import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * A value in the computation graph: a tensor plus, after {@link Tape#backward}, its gradient.
 * Gradients are ordinary tensors allocated during backward, so they live as long as the
 * {@link org.reaper.tensor.TensorScope} of the step (the optimizer step must run inside it); a
 * non-leaf value's gradient is released (and cleared) by {@link Tape#backward} once it is used.
 */
public class Variable {
    private Tensor value;
    private Tensor grad;
    private final boolean requiresGrad;

    public Variable(Tensor value, boolean requiresGrad) {
        this.value = value;
        this.requiresGrad = requiresGrad;
    }

    /** A constant (input data, labels): gradients are not computed for it. */
    public static Variable constant(Tensor value) { return new Variable(value, false); }

    public Tensor value() { return value; }
    public Shape shape() { return value.shape(); }
    public boolean requiresGrad() { return requiresGrad; }
    public Tensor grad() { return grad; }

    /** Replaces the value tensor (loading a checkpoint, moving to a device). */
    public void setValue(Tensor value) { this.value = value; }
    public void setGrad(Tensor grad) { this.grad = grad; }
    public void clearGrad() { this.grad = null; }

    /**
     * Adds {@code g} to this variable's gradient. When there is no gradient yet and {@code handOver}
     * is true, {@code g} itself becomes the gradient (the caller must not use or write it again);
     * otherwise the gradient is a fresh copy, or {@code g} is added into it.
     */
    public void accumulateGrad(Backend backend, Tensor g, boolean handOver) {
        if (!requiresGrad) return;
        if (!g.shape().equals(value.shape()))
            throw new org.reaper.tensor.ShapeMismatchException("backward", "gradient " + g.shape() + " for a value of shape " + value.shape());
        if (grad == null) {
            if (handOver) grad = g;
            else { grad = backend.empty(g.shape()); backend.copy(g, grad); }
        } else {
            backend.axpy(1f, g, grad);
        }
    }
}
