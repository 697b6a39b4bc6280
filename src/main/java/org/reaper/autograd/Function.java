package org.reaper.autograd;

import org.reaper.backend.Backend;
import org.reaper.tensor.Tensor;

/**
 * One recorded operation: its forward ran when it was created and recorded itself on the active
 * {@link Tape}; {@link #backward} receives the gradient of its output and accumulates gradients
 * into its inputs (via {@link Variable#accumulateGrad}). Subclasses keep whatever forward state
 * backward needs (saved tensors are owned by the step's scope).
 */
public abstract class Function {
    protected final Backend backend;
    private final Variable[] inputs;
    private Variable output;

    protected Function(Backend backend, Variable... inputs) {
        this.backend = backend;
        this.inputs = inputs;
    }

    public Variable[] inputs() { return inputs; }
    public Variable output() { return output; }

    /** A short name for errors and profiles, e.g. "conv2d". */
    public abstract String name();

    /** Called by the tape with d(loss)/d(output); never called when the output got no gradient. */
    protected abstract void backward(Tensor gradOutput);

    /** True when any input needs a gradient (only then is the function recorded). */
    protected boolean anyInputRequiresGrad() {
        for (Variable v : inputs) if (v != null && v.requiresGrad()) return true;
        return false;
    }

    /**
     * Wraps a forward result: the output requires a gradient when an input does and a tape is
     * recording, in which case this function is recorded.
     */
    protected Variable finish(Tensor result) {
        Tape tape = Tape.active();
        boolean record = tape != null && anyInputRequiresGrad();
        output = new Variable(result, record);
        if (record) tape.record(this);
        return output;
    }
}
