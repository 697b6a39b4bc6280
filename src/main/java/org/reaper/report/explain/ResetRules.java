package org.reaper.report.explain;

import java.util.ArrayList;
import java.util.List;
import org.reaper.repr.ReprOptions;

/** In words, what RePr resets besides a dropped filter's weights, under the run's options (see repr.FilterMask). */
final class ResetRules {
    private ResetRules() {}

    static List<String> of(ReprOptions o) {
        List<String> out = new ArrayList<>();
        boolean zero = o.drop == ReprOptions.Drop.ZERO;
        out.add("Weights and bias of a dropped filter are held at 0 through the sub-network phase (S2 = " + o.s2 + " epochs): "
                + "their gradients are masked after every backward pass and the rows written again after every optimizer step.");
        out.add(zero ? "Batch norm of a dropped channel: gamma = 1, beta = 0 and running mean / variance = 0 / 1 at the drop, so the channel outputs exactly 0."
                : "Batch norm of a dropped channel (output-mask): gamma and beta are held at 0 during S2 and their old values come back at the re-initialisation.");
        out.add(o.keepOptimState ? "Optimizer state (momentum, Adam moments) of the dropped rows is kept (--keep-optim-state)."
                : "Optimizer state (momentum, Adam moments) of the dropped rows of weight, bias, gamma and beta is reset to 0 at the drop and again at the re-initialisation.");
        out.add(switch (o.nextLayer) {
            case KEEP -> "The next layer's weights that read a dropped channel are left alone (they see a channel of zeros).";
            case ZERO -> "The next layer's weights that read a dropped channel are zeroed and held at 0 through S2.";
            case RANDOM -> "The next layer's weights that read a dropped channel get fresh default-init values at the re-initialisation.";
        });
        out.add("At the re-initialisation the bias of a new filter is set to 0.");
        return out;
    }
}
