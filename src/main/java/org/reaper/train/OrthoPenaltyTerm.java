package org.reaper.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reaper.ReaperException;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.AddFn;
import org.reaper.autograd.ops.OrthoPenaltyFn;
import org.reaper.backend.Backend;
import org.reaper.nn.Module;
import org.reaper.nn.Prunable;
import org.reaper.nn.PrunableConv;

/**
 * {@code --ortho-penalty LAMBDA}: adds {@code LAMBDA * sum_l ||W^_l W^_l^T - I||_F^2} to each step's training
 * loss ({@link OrthoPenaltyFn}: rows normalised to unit length, dropped filters left out). The layers are the
 * model's prunable convs (every conv RePr can rank), all of them, or all but the first with
 * {@code --ortho-penalty-layers exclude-first}; this choice is the penalty's own and does not follow RePr's
 * {@code --exclude-first}, so standard and RePr runs with the same penalty add the same term.
 * Evaluation losses (val, test) are plain cross-entropy; the training loss column is the cross-entropy too,
 * and metrics get the epoch's mean unscaled penalty in the {@code ortho_penalty} column.
 */
public final class OrthoPenaltyTerm {
    public static final String ALL = "all", EXCLUDE_FIRST = "exclude-first";
    /** The metrics column: the mean over the epoch's training steps of sum_l ||W^ W^^T - I||^2 (without LAMBDA). */
    public static final String COLUMN = "ortho_penalty";

    private final Backend backend;
    private final float lambda;
    private final List<Variable> weights;

    private OrthoPenaltyTerm(Backend backend, float lambda, List<Variable> weights) {
        this.backend = backend;
        this.lambda = lambda;
        this.weights = weights;
    }

    /** The term of a run, or null when {@code config.orthoPenalty} is 0. */
    static OrthoPenaltyTerm of(RunConfig config, Backend backend, Module model) {
        if (config.orthoPenalty == 0f) return null;
        if (!(model instanceof Prunable p))
            throw new ReaperException("--ortho-penalty needs a model with conv layers; " + config.model + " has none Reaper can see");
        List<Variable> ws = new ArrayList<>();
        for (PrunableConv pc : p.prunableConvs()) ws.add(pc.conv().weight());
        if (EXCLUDE_FIRST.equals(layers(config.orthoPenaltyLayers)) && !ws.isEmpty()) ws.remove(0);
        if (ws.isEmpty())
            throw new ReaperException("--ortho-penalty: " + config.model + " has no conv layer the penalty can cover with --ortho-penalty-layers "
                    + config.orthoPenaltyLayers + "; use --ortho-penalty-layers all or leave --ortho-penalty out");
        return new OrthoPenaltyTerm(backend, config.orthoPenalty, List.copyOf(ws));
    }

    /** The checked spelling of --ortho-penalty-layers (all | exclude-first). */
    static String layers(String s) {
        String v = s == null ? ALL : s.trim().toLowerCase(Locale.ROOT);
        if (!v.equals(ALL) && !v.equals(EXCLUDE_FIRST))
            throw new ReaperException("unknown --ortho-penalty-layers '" + s + "': use all or exclude-first");
        return v;
    }

    /** The weights it covers, in forward order. */
    public List<Variable> weights() { return weights; }

    /** One step's penalty: the loss to backpropagate (cross-entropy + LAMBDA * penalty) and the unscaled penalty. */
    record Step(Variable loss, double penalty) {}

    Step addTo(Variable crossEntropy) {
        OrthoPenaltyFn f = OrthoPenaltyFn.compute(backend, lambda, weights);
        return new Step(AddFn.apply(backend, crossEntropy, f.output()), f.penalty());
    }
}
