package org.reaper.repr;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reaper.io.HostTensor;
import org.reaper.io.Safetensors;
import org.reaper.train.EpochMetrics;
import org.reaper.train.ModelState;
import org.reaper.train.RunSummary;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;

/**
 * Wraps the {@link ReprListener} of a run and keeps the two moments of every cycle that a lesson needs, as the conv
 * weights under their PyTorch names: {@code repr-cycleK-drop.safetensors} (the weights that were ranked, just before the
 * drop) and {@code repr-cycleK-reinit.safetensors} (just after the re-initialisation). {@code reaper rank} and
 * {@code reaper explain} read them; the training itself is unchanged ({@code RunFolder.SNAPSHOT} clears them with the run).
 */
public final class CycleSnapshots implements TrainListener {
    private final ReprListener repr;

    public CycleSnapshots(ReprListener repr) { this.repr = repr; }

    public static Path dropFile(Path runDir, int cycle) { return runDir.resolve("repr-cycle" + cycle + "-drop.safetensors"); }

    public static Path reinitFile(Path runDir, int cycle) { return runDir.resolve("repr-cycle" + cycle + "-reinit.safetensors"); }

    @Override public void onRunStart(TrainContext c) { repr.onRunStart(c); }
    @Override public void onEpochStart(TrainContext c, int epoch) { repr.onEpochStart(c, epoch); }
    @Override public void afterBackward(TrainContext c) { repr.afterBackward(c); }
    @Override public void afterOptimizerStep(TrainContext c) { repr.afterOptimizerStep(c); }
    @Override public void onRunEnd(TrainContext c, RunSummary s) { repr.onRunEnd(c, s); }

    @Override public void onEpochEnd(TrainContext c, EpochMetrics m) {
        int dropCycle = repr.schedule().dropAfter(m.epoch()), reinitCycle = repr.schedule().reinitAfter(m.epoch());
        boolean prunedBefore = !repr.masks().isEmpty();
        // the state is exported only at the epochs where the schedule may drop (cheap: once per cycle)
        Map<String, HostTensor> beforeDrop = dropCycle >= 0 && c.runDir() != null ? convWeights(c) : null;
        repr.onEpochEnd(c, m);
        boolean prunedAfter = !repr.masks().isEmpty();
        if (c.runDir() == null) return;
        if (beforeDrop != null && !prunedBefore && prunedAfter)
            Safetensors.write(dropFile(c.runDir(), dropCycle + 1), beforeDrop, meta(c, m, dropCycle + 1, "drop"));
        if (reinitCycle >= 0 && prunedBefore && !prunedAfter)
            Safetensors.write(reinitFile(c.runDir(), reinitCycle + 1), convWeights(c), meta(c, m, reinitCycle + 1, "reinit"));
    }

    /** The conv weights (4-D parameters), all that ranking and re-init touch: a c3-32 snapshot is 0.1 MB instead of 1.4 MB. */
    private static Map<String, HostTensor> convWeights(TrainContext c) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        ModelState.export(c.model()).forEach((k, v) -> { if (v.shape().length == 4) out.put(k, v); });
        return out;
    }

    private static Map<String, String> meta(TrainContext c, EpochMetrics m, int cycle, String moment) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("reaper.model", c.config().model);
        meta.put("reaper.epoch", String.valueOf(m.epoch() + 1));
        meta.put("reaper.cycle", String.valueOf(cycle));
        meta.put("reaper.moment", moment);
        return meta;
    }
}
