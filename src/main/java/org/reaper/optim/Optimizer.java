package org.reaper.optim;

import java.util.Map;
import org.reaper.nn.Parameter;
import org.reaper.tensor.Tensor;

/**
 * Updates parameters from their gradients. State (momentum, Adam moments) is kept per parameter
 * and is addressable per row (dim-0 slice = one conv filter), because RePr resets the state of
 * single filters.
 */
public interface Optimizer {
    /** One update of every parameter that has a gradient. */
    void step();

    float learningRate();

    void setLearningRate(float lr);

    /** Number of completed steps. */
    long stepCount();

    /**
     * Multiplies row r of every state tensor of {@code p} by rowScale[r] (0 resets that filter's
     * momentum / moments; 1 keeps it).
     */
    void scaleStateRows(Parameter p, Tensor rowScale);

    /**
     * The state as named tensors for checkpoints, e.g. {@code optim.features.0.weight.momentum_buffer};
     * parameter names come from the map given at construction.
     */
    Map<String, Tensor> stateDict();

    /** Restores {@link #stateDict()} output (tensors are copied into this optimizer's state). */
    void loadStateDict(Map<String, Tensor> state, long stepCount);
}
