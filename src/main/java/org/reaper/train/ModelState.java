package org.reaper.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.io.HostTensor;
import org.reaper.nn.Module;
import org.reaper.nn.Parameter;
import org.reaper.tensor.Tensor;

/** A model's parameters and buffers as host tensors under their PyTorch names, and back. */
public final class ModelState {
    private ModelState() {}

    /**
     * Parameters then buffers, F32; num_batches_tracked as PyTorch stores it: a 0-d I64 tensor (the engine keeps
     * it as a one-element [1] tensor, so that it is an ordinary device buffer).
     */
    public static Map<String, HostTensor> export(Module model) {
        Backend b = model.backend();
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (var e : model.namedParameters().entrySet()) out.put(e.getKey(), host(b, e.getValue().value(), "F32"));
        for (var e : model.namedBuffers().entrySet()) {
            if (isBatchCount(e.getKey(), e.getValue().shape().dims())) out.put(e.getKey(), new HostTensor("I64", new int[0], b.toHost(e.getValue())));
            else out.put(e.getKey(), host(b, e.getValue(), "F32"));
        }
        return out;
    }

    /** A BN batch counter: one element, as the 0-d tensor PyTorch writes or the [1] tensor earlier Reaper checkpoints hold. */
    private static boolean isBatchCount(String name, int[] shape) {
        return name.endsWith("num_batches_tracked") && (shape.length == 0 || (shape.length == 1 && shape[0] == 1));
    }

    static HostTensor host(Backend b, Tensor t, String dtype) {
        return new HostTensor(dtype, t.shape().dims(), b.toHost(t));
    }

    /**
     * Copies every parameter and buffer of {@code model} from {@code tensors} (extra entries, such as
     * optimizer state, are ignored). A missing name or a shape mismatch is a one-line error naming {@code source}.
     */
    public static void load(Module model, Map<String, HostTensor> tensors, String source) {
        Backend b = model.backend();
        List<String> missing = new ArrayList<>();
        Map<String, Tensor> targets = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) targets.put(e.getKey(), e.getValue().value());
        targets.putAll(model.namedBuffers());
        for (var e : targets.entrySet()) {
            HostTensor h = tensors.get(e.getKey());
            if (h == null) { missing.add(e.getKey()); continue; }
            int[] want = e.getValue().shape().dims();
            if (!java.util.Arrays.equals(want, h.shape()) && !(isBatchCount(e.getKey(), want) && isBatchCount(e.getKey(), h.shape())))
                throw new ReaperException(source + ": tensor " + e.getKey() + " has shape " + java.util.Arrays.toString(h.shape())
                        + " but the model expects " + java.util.Arrays.toString(want) + "; pass the --model the checkpoint was trained with");
        }
        if (!missing.isEmpty())
            throw new ReaperException(source + " lacks " + missing.size() + " tensor(s) of the model (first: " + missing.get(0)
                    + "); it was saved from another model: pass the right --model");
        for (var e : targets.entrySet()) b.upload(tensors.get(e.getKey()).data(), e.getValue());
    }
}
