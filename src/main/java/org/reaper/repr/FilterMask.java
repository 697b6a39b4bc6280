package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;
import org.reaper.backend.Backend;
import org.reaper.nn.BatchNorm2d;
import org.reaper.nn.Conv2d;
import org.reaper.nn.Parameter;
import org.reaper.nn.Persistent;
import org.reaper.nn.PrunableConv;
import org.reaper.optim.Optimizer;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * Holds the dropped filters of one conv layer out of the network during a pruned phase.
 * <p>{@code zero} (default): weights and bias rows are zeroed; BN gamma/beta of the dropped channels are reset to
 * their init (1 / 0) and running statistics to 0 / 1; with zero input the BN output is beta = 0, so the unit's
 * output is exactly zero. Gradients of those rows are masked after backward and the rows are written again after
 * every optimizer step, so momentum and weight decay cannot move them (gamma is held at 1).
 * <p>{@code output-mask} (the official code's multiplicative mask, emulated): the unit's output is held at zero
 * the same way (weights, bias, gamma and beta rows at zero), but the pre-drop values are kept aside and written
 * back at {@link #release()}, as a mask leaves them frozen; BN gamma/beta are then not reset at re-init either.
 * Since the re-initialisation overwrites weights and bias, this differs from {@code zero} only in BN handling.
 * <p>Optimizer state rows (momentum, Adam moments) of weight, bias, gamma and beta are reset at the drop unless
 * {@code keepOptimState}. Next layer ({@code nextLayer = zero}): the input channels reading a dropped filter
 * (next conv's [o, c, :, :] or next linear's features of channel c) are zeroed at the drop and held at zero through
 * the phase (so the re-introduced filter starts with no influence); their optimizer state is not reset, but it
 * decays because their gradient is zero while the channel is silent.
 */
public final class FilterMask {
    private final Backend b;
    private final PrunableConv pc;
    private final int[] dropped;
    private final boolean outputMask;
    private final boolean zeroNext;
    private final Tensor keep, fill;          // [J]: 1 kept / 0 dropped, and its complement
    private final Tensor nextKeep;            // next layer's input-channel mask, or null
    private final Tensor nextView;            // next layer's weight viewed as [rows, cols] matching nextKeep
    private final PreDrop preDrop;

    /**
     * Pre-drop values of the dropped rows, kept on the training device (weight m x D; bias, gamma, beta m or
     * null) so a RePr cycle never moves weights through the host; {@link #toHost} for the checkpoint state.
     */
    public record PreDrop(Tensor weight, Tensor bias, Tensor gamma, Tensor beta) {
        /** The pre-drop values on the host (bias, gamma, beta null where absent). */
        public record Host(float[][] weight, float[] bias, float[] gamma, float[] beta) {}

        public Host toHost(Backend b) {
            float[] w = b.toHost(weight);
            int m = weight.dim(0), d = m == 0 ? 0 : w.length / m;
            float[][] rows = new float[m][];
            for (int i = 0; i < m; i++) rows[i] = java.util.Arrays.copyOfRange(w, i * d, (i + 1) * d);
            return new Host(rows, host(b, bias), host(b, gamma), host(b, beta));
        }

        /** Device copies of host values (a resume). */
        public static PreDrop upload(Backend b, float[][] rows, int d, float[] bias, float[] gamma, float[] beta) {
            float[] flat = new float[rows.length * d];
            for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * d, d);
            return new PreDrop(persistent(b, flat, rows.length, d), bias == null ? null : persistent(b, bias, bias.length),
                    gamma == null ? null : persistent(b, gamma, gamma.length), beta == null ? null : persistent(b, beta, beta.length));
        }

        private static float[] host(Backend b, Tensor t) { return t == null ? null : b.toHost(t); }

        void close() {
            weight.close();
            for (Tensor t : new Tensor[] {bias, gamma, beta}) if (t != null) t.close();
        }
    }

    private FilterMask(Backend b, PrunableConv pc, int[] dropped, boolean outputMask, boolean zeroNext, PreDrop preDrop) {
        this.b = b; this.pc = pc; this.dropped = dropped.clone(); this.outputMask = outputMask; this.zeroNext = zeroNext;
        this.preDrop = preDrop;
        int j = pc.conv().outChannels();
        float[] k = new float[j], fl = new float[j];
        java.util.Arrays.fill(k, 1f);
        for (int f : dropped) { k[f] = 0f; fl[f] = 1f; }
        keep = persistent(k);
        fill = persistent(fl);
        Tensor[] next = zeroNext ? nextLayerView(k) : null;
        nextView = next == null ? null : next[0];
        nextKeep = next == null ? null : next[1];
    }

    /** Saves the pre-drop values of {@code dropped} and takes them out of the network (see class comment). */
    public static FilterMask drop(Backend b, PrunableConv pc, int[] dropped, ReprOptions o, Optimizer opt) {
        FilterMask m = attach(b, pc, dropped, o, capture(b, pc, dropped));
        m.zeroNow(true);
        if (!o.keepOptimState) m.resetOptimizerState(opt);
        return m;
    }

    /** Re-attaches a mask after a resume (the checkpoint already holds the masked values). */
    public static FilterMask attach(Backend b, PrunableConv pc, int[] dropped, ReprOptions o, PreDrop preDrop) {
        return new FilterMask(b, pc, dropped, o.drop == ReprOptions.Drop.OUTPUT_MASK, o.nextLayer == ReprOptions.NextLayer.ZERO, preDrop);
    }

    public PrunableConv layer() { return pc; }
    public int[] dropped() { return dropped.clone(); }
    public PreDrop preDrop() { return preDrop; }
    public boolean outputMask() { return outputMask; }

    /** After backward: the gradients of the dropped rows become zero. */
    public void maskGradients() {
        for (Parameter p : unitParameters()) if (p.grad() != null) b.scaleRows(p.grad(), keep);
    }

    /** After the optimizer step: the dropped rows are written again (weights, bias, BN gamma/beta, next-layer channels). */
    public void enforce() { zeroNow(false); }

    private void zeroNow(boolean atDrop) {
        Conv2d c = pc.conv();
        b.scaleRows(c.weight().value(), keep);
        if (c.bias() != null) b.scaleRows(c.bias().value(), keep);
        BatchNorm2d bn = pc.bn();
        if (bn != null) {
            b.scaleRows(bn.weight().value(), keep);
            if (!outputMask) b.add(bn.weight().value(), fill, bn.weight().value());
            b.scaleRows(bn.bias().value(), keep);
            if (atDrop) resetRunningStats(bn);
        }
        if (nextView != null) b.scaleRows(nextView, nextKeep);
    }

    private void resetRunningStats(BatchNorm2d bn) {
        b.scaleRows(bn.runningMean(), keep);
        b.scaleRows(bn.runningVar(), keep);
        b.add(bn.runningVar(), fill, bn.runningVar());
    }

    /** Resets the optimizer state rows of the unit's parameters (momentum, Adam moments). */
    public void resetOptimizerState(Optimizer opt) {
        for (Parameter p : unitParameters()) opt.scaleStateRows(p, keep);
    }

    /**
     * Ends the pruned phase before re-initialisation: with output-mask the pre-drop weights, bias and BN values are
     * written back; with zero the BN rows are reset to their init (gamma 1, beta 0, running stats 0 / 1).
     */
    public void release() {
        if (outputMask) {
            restoreRows(pc.conv().weight().value(), preDrop.weight());
            if (pc.conv().bias() != null) restoreRows(pc.conv().bias().value(), preDrop.bias());
            if (pc.bn() != null) {
                restoreRows(pc.bn().weight().value(), preDrop.gamma());
                restoreRows(pc.bn().bias().value(), preDrop.beta());
            }
        } else if (pc.bn() != null) {
            zeroNow(true);
        }
        if (pc.bn() != null) resetRunningStats(pc.bn());
    }

    /** Frees the mask tensors and the pre-drop values. */
    public void close() {
        keep.close();
        fill.close();
        if (nextKeep != null) nextKeep.close();
        preDrop.close();
    }

    /** The 1 (kept) / 0 (dropped) row mask on the device. */
    public Tensor keepMask() { return keep; }

    private List<Parameter> unitParameters() {
        List<Parameter> ps = new ArrayList<>();
        ps.add(pc.conv().weight());
        if (pc.conv().bias() != null) ps.add(pc.conv().bias());
        if (pc.bn() != null) { ps.add(pc.bn().weight()); ps.add(pc.bn().bias()); }
        return ps;
    }

    private static PreDrop capture(Backend b, PrunableConv pc, int[] dropped) {
        Conv2d c = pc.conv();
        Tensor w = Persistent.empty(b, Shape.of(dropped.length, c.fanIn()));
        b.gatherRows(c.weight().value(), dropped, w);
        return new PreDrop(w, pick(b, c.bias(), dropped),
                pc.bn() == null ? null : pick(b, pc.bn().weight(), dropped),
                pc.bn() == null ? null : pick(b, pc.bn().bias(), dropped));
    }

    private static Tensor pick(Backend b, Parameter p, int[] idx) {
        if (p == null) return null;
        Tensor t = Persistent.empty(b, Shape.of(idx.length));
        b.gatherRows(p.value(), idx, t);
        return t;
    }

    private void restoreRows(Tensor t, Tensor rows) {
        if (rows != null) b.scatterRows(rows, dropped, t);
    }

    /** [view of the next layer's weight as (rows, cols), row mask] so that scaleRows zeroes the input channels. */
    private Tensor[] nextLayerView(float[] k) {
        int c = k.length;
        Tensor w;
        int outs, per;
        if (pc.nextConv() != null && pc.nextConv().inChannels() == c) {
            w = pc.nextConv().weight().value();
            outs = w.dim(0);
            per = w.numel() / (outs * c);
        } else if (pc.nextLinear() != null && pc.nextLinear().inFeatures() == c * pc.nextLinearSpatial()) {
            w = pc.nextLinear().weight().value();
            outs = w.dim(0);
            per = pc.nextLinearSpatial();
        } else {
            return null;
        }
        float[] mask = new float[outs * c];
        for (int o = 0; o < outs; o++) System.arraycopy(k, 0, mask, o * c, c);
        return new Tensor[] {w.reshape(outs * c, per), persistent(mask)};
    }

    private Tensor persistent(float[] v) { return persistent(b, v, v.length); }

    private static Tensor persistent(Backend b, float[] v, int... dims) {
        Tensor t = Persistent.empty(b, Shape.of(dims));
        b.upload(v, t);
        return t;
    }
}
