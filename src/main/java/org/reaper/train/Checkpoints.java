package org.reaper.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.data.Normalization;
import org.reaper.io.HostTensor;
import org.reaper.io.Safetensors;
import org.reaper.optim.Optimizer;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * checkpoint.safetensors: the model's parameters and buffers under PyTorch names (loadable with
 * {@code safetensors.torch.load_file} + {@code load_state_dict(strict=False)}), the optimizer state as
 * {@code optim.*} tensors, and in the metadata everything else a resume needs: completed epochs,
 * optimizer steps, the RNG seed and offset, the trainer/listener state and the run's config (JSON).
 */
public final class Checkpoints {
    public static final String FILE = "checkpoint.safetensors";
    static final String EPOCH = "reaper.epoch", STEPS = "reaper.optimizer_steps", RNG_SEED = "reaper.rng_seed",
            RNG_OFFSET = "reaper.rng_offset", STATE = "reaper.state", CONFIG = "reaper.config", MODEL = "reaper.model",
            CLASSES = "reaper.num_classes", NORMALIZATION = "reaper.normalization", VERSION = "reaper.version";

    private Checkpoints() {}

    /** A checkpoint read back: tensors plus decoded metadata (fields absent in foreign files are null / -1). */
    public record Loaded(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata, int epoch, long optimizerSteps,
                         long rngOffset, Map<String, Object> state, String model, int numClasses, Normalization normalization) {
        /** Steps of epoch {@code epoch()} (0-based) already trained when the run stopped inside it; 0 at an epoch's end. */
        public int stepInEpoch() {
            return state.get(Trainer.IN_EPOCH) instanceof Map<?, ?> p && p.get("step") instanceof Number n ? n.intValue() : 0;
        }
    }

    /** Writes the checkpoint of {@code ctx} after {@code completedEpochs} epochs, atomically. */
    public static void write(Path file, TrainContext ctx, int completedEpochs) {
        Backend b = ctx.backend();
        Map<String, HostTensor> tensors = new LinkedHashMap<>(ModelState.export(ctx.model()));
        try (TensorScope scope = TensorScope.open()) {
            for (var e : ctx.optimizer().stateDict().entrySet()) {
                String name = e.getKey().startsWith("optim.") ? e.getKey() : "optim." + e.getKey();
                tensors.put(name, ModelState.host(b, e.getValue(), "F32"));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(VERSION, Versions.reaper());
        meta.put(MODEL, ctx.config().model);
        meta.put(CLASSES, String.valueOf(ctx.trainSet().numClasses()));
        meta.put(EPOCH, String.valueOf(completedEpochs));
        meta.put(STEPS, String.valueOf(ctx.optimizer().stepCount()));
        meta.put(RNG_SEED, String.valueOf(ctx.rng().seed()));
        meta.put(RNG_OFFSET, String.valueOf(ctx.rng().offset()));
        Normalization n = ctx.normalization();
        meta.put(NORMALIZATION, Json.compact(Map.of("mean", n.mean(), "std", n.std())));
        meta.put(STATE, Json.compact(ctx.state()));
        meta.put(CONFIG, Json.compact(Json.MAPPER.convertValue(ctx.config(), Map.class)));
        Safetensors.write(file, tensors, meta);
    }

    public static Loaded read(Path file) {
        if (!Files.isRegularFile(file))
            throw new ReaperException("checkpoint " + file + " does not exist" + (Files.isDirectory(file)
                    ? " as a file (it is a folder; pass " + file.resolve(FILE) + ")" : ": check the path"));
        Safetensors.Loaded raw = Safetensors.read(file);
        Map<String, String> m = raw.metadata() == null ? Map.of() : raw.metadata();
        String where = "checkpoint " + file;
        Map<String, Object> state = m.containsKey(STATE) ? Json.parseMap(m.get(STATE), where + " metadata " + STATE) : Map.of();
        Normalization norm = null;
        if (m.containsKey(NORMALIZATION)) {
            Map<String, Object> nm = Json.parseMap(m.get(NORMALIZATION), where + " metadata " + NORMALIZATION);
            norm = new Normalization(floats(nm.get("mean")), floats(nm.get("std")));
        }
        return new Loaded(file, raw.tensors(), m, (int) number(m, EPOCH, where), number(m, STEPS, where), number(m, RNG_OFFSET, where),
                state, m.get(MODEL), (int) number(m, CLASSES, where), norm);
    }

    /** The run config stored in the checkpoint, or null for files Reaper did not write. */
    public static RunConfig config(Loaded c) {
        String json = c.metadata().get(CONFIG);
        return json == null ? null : Json.convert(Json.parseMap(json, "checkpoint " + c.file() + " metadata " + CONFIG), RunConfig.class);
    }

    /** Restores model, optimizer (state and step count), RNG offset, and the trainer's epoch and listener state. */
    public static void restore(Loaded c, Trainer trainer) {
        TrainContext ctx = trainer.context();
        if (c.epoch() < 0 || c.optimizerSteps() < 0 || c.rngOffset() < 0)
            throw new ReaperException("checkpoint " + c.file() + " has no training progress in its metadata (not written by 'reaper train'); cannot resume from it");
        ModelState.load(ctx.model(), c.tensors(), "checkpoint " + c.file());
        loadOptimizer(ctx.optimizer(), ctx.backend(), c);
        ctx.rng().setOffset(c.rngOffset());
        trainer.resume(c.epoch(), c.state());
    }

    private static void loadOptimizer(Optimizer opt, Backend b, Loaded c) {
        try (TensorScope scope = TensorScope.open()) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (var e : c.tensors().entrySet()) {
                if (!e.getKey().startsWith("optim.")) continue;
                state.put(e.getKey(), b.fromHost(e.getValue().data(), Shape.of(e.getValue().shape())));
            }
            opt.loadStateDict(state, c.optimizerSteps());
        }
    }

    private static long number(Map<String, String> m, String key, String where) {
        String v = m.get(key);
        if (v == null) return -1;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ReaperException(where + ": metadata " + key + " = '" + v + "' is not a number; the file is damaged");
        }
    }

    private static float[] floats(Object o) {
        if (!(o instanceof List<?> l)) throw new ReaperException("checkpoint normalisation is not a list of numbers");
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).floatValue();
        return out;
    }
}
