package org.reaper.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.nn.Parameter;
import org.reaper.nn.Persistent;
import org.reaper.tensor.Tensor;

/**
 * Named per-parameter state tensors shared by the optimizers ("momentum_buffer", "exp_avg", ...):
 * lazily allocated outside any scope, addressable by row, exported as
 * {@code optim.<parameter name>.<slot>}.
 */
final class ParameterState {
    private final Backend backend;
    private final Map<Parameter, String> names = new LinkedHashMap<>();
    private final Map<Parameter, Map<String, Tensor>> slots = new LinkedHashMap<>();

    ParameterState(Backend backend, Map<String, Parameter> params) {
        this.backend = backend;
        for (var e : params.entrySet()) names.put(e.getValue(), e.getKey());
    }

    Iterable<Parameter> parameters() { return names.keySet(); }
    int size() { return names.size(); }

    boolean owns(Parameter p) { return names.containsKey(p); }

    /** The slot's tensor, or null when it has not been allocated yet. */
    Tensor get(Parameter p, String slot) {
        Map<String, Tensor> s = slots.get(p);
        return s == null ? null : s.get(slot);
    }

    /** Allocates the slot as zeros (shape of the parameter). */
    Tensor create(Parameter p, String slot) {
        Tensor t = Persistent.filled(backend, p.shape(), 0f);
        slots.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(slot, t);
        return t;
    }

    void scaleRows(Parameter p, Tensor rowScale) {
        if (!owns(p)) throw new IllegalArgumentException("scaleStateRows: the parameter is not managed by this optimizer");
        Map<String, Tensor> s = slots.get(p);
        if (s != null) for (Tensor t : s.values()) backend.scaleRows(t, rowScale);
    }

    Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : slots.entrySet()) {
            String name = names.get(e.getKey());
            for (var s : e.getValue().entrySet()) out.put("optim." + name + "." + s.getKey(), s.getValue());
        }
        return out;
    }

    /** Copies every {@code optim.<name>.<slot>} entry for the given slot names into (new or existing) state. */
    void load(Map<String, Tensor> state, String... slotNames) {
        for (var e : names.entrySet()) {
            for (String slot : slotNames) {
                Tensor src = state.get("optim." + e.getValue() + "." + slot);
                if (src == null) continue;
                Parameter p = e.getKey();
                if (!src.shape().equals(p.shape()))
                    throw new ReaperException("optimizer state optim." + e.getValue() + "." + slot + " has shape " + src.shape()
                            + " but the parameter has shape " + p.shape() + "; the checkpoint belongs to another model");
                Tensor dst = get(p, slot);
                if (dst == null) dst = create(p, slot);
                backend.copy(src, dst);
            }
        }
    }
}
