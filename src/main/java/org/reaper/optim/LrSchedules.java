package org.reaper.optim;

import java.util.List;
import java.util.Locale;
import org.reaper.ReaperException;

/** Builds a schedule from the CLI's name: constant | step | cosine | cyclic, with optional warm-up. */
public final class LrSchedules {
    /** The paper's cyclic ablation: amplitude 0.005 over a 50-epoch period. */
    public static final float CYCLIC_AMPLITUDE = 0.005f;
    public static final double CYCLIC_PERIOD = 50;

    private LrSchedules() {}

    public static List<String> names() { return List.of("constant", "step", "cosine", "cyclic"); }

    /** Defaults: step drops by 10x at 50% and 75% of the run; cosine anneals to 0; cyclic as the paper. */
    public static LrSchedule parse(String name, float baseLr, int totalEpochs) {
        return parse(name, baseLr, totalEpochs, null, 0.1f, 0);
    }

    /**
     * @param milestones epochs at which "step" multiplies the LR by gamma (null: 50% and 75% of totalEpochs)
     * @param warmupEpochs linear warm-up from 10% of the LR over this many epochs (0: none)
     */
    public static LrSchedule parse(String name, float baseLr, int totalEpochs, int[] milestones, float gamma, int warmupEpochs) {
        LrSchedule s = switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "constant" -> new ConstantLr(baseLr);
            case "step", "multistep" -> new MultiStepLr(baseLr,
                    milestones != null ? milestones : new int[] {Math.max(1, totalEpochs / 2), Math.max(1, totalEpochs * 3 / 4)}, gamma);
            case "cosine" -> new CosineLr(baseLr, Math.max(1, totalEpochs), 0f);
            case "cyclic" -> new CyclicLr(baseLr, CYCLIC_AMPLITUDE, CYCLIC_PERIOD);
            default -> throw new ReaperException("unknown LR schedule '" + name + "'; use one of " + String.join(", ", names()));
        };
        return warmupEpochs > 0 ? new WarmupLr(s, warmupEpochs, 0.1f) : s;
    }
}
