package org.reaper.nn;

import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * Allocates tensors that outlive any open {@link TensorScope} (parameters, buffers, optimizer
 * state): the allocation happens in a private scope from which the tensor is detached, so a model
 * or an optimizer buffer created inside a training step is not released when the step ends.
 */
public final class Persistent {
    private Persistent() {}

    public static Tensor empty(Backend backend, Shape shape) {
        try (TensorScope s = TensorScope.open()) {
            return s.detach(backend.empty(shape));
        }
    }

    public static Tensor filled(Backend backend, Shape shape, float value) {
        Tensor t = empty(backend, shape);
        backend.fill(t, value);
        return t;
    }
}
