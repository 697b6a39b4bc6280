package org.reaper.autograd.ops;

import java.util.List;
import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * The soft orthogonality penalty {@code y = scale * sum_l ||W^_l W^_l^T - I||_F^2} over conv weights W_l
 * (any rank, dim 0 = the J filters, viewed as J x D with D = fan-in), where W^ is W with every row scaled to
 * unit L2 norm (the paper's normalised filter matrix, the same one the ortho criterion ranks with). Its value
 * is a one-element tensor, and {@link #penalty()} gives the unscaled sum on the host.
 *
 * <p>A row whose squared norm is below {@link #ZERO_NORM2} (a filter RePr dropped: exactly zero) cannot be
 * normalised; it is left out of the penalty, as if the layer had only its other filters: its row of W^ is
 * zero, its diagonal 1 is not subtracted, and its gradient is zero (so no NaN, and the penalty of a pruned
 * phase is the penalty of the sub-network).
 *
 * <p>Gradient (per layer, with G = W^ W^^T, rows kept): dL/dW^ = 4 (G - I) W^, and through the
 * normalisation dL/dw_j = (g_j - (g_j . w^_j) w^_j) / ||w_j|| for g_j the row j of dL/dW^. Everything runs
 * on the backend (mul, gemm, scaleRows, axpy); only the J row norms and the sums come to the host.
 */
public final class OrthoPenaltyFn extends Function {
    /** Rows with ||w||^2 below this (norm below 1e-12) count as dropped filters. */
    public static final float ZERO_NORM2 = 1e-24f;

    private final List<Variable> weights;
    private final float scale;
    private final Tensor[] normalised, inverseNorms, grams;
    private double penalty;

    private OrthoPenaltyFn(Backend b, List<Variable> weights, float scale) {
        super(b, weights.toArray(Variable[]::new));
        this.weights = weights;
        this.scale = scale;
        this.normalised = new Tensor[weights.size()];
        this.inverseNorms = new Tensor[weights.size()];
        this.grams = new Tensor[weights.size()];
    }

    /** The function after its forward: {@link #output()} is the scaled penalty, {@link #penalty()} the unscaled sum. */
    public static OrthoPenaltyFn compute(Backend b, float scale, List<? extends Variable> weights) {
        if (weights.isEmpty()) throw new IllegalArgumentException("the orthogonality penalty needs at least one weight");
        OrthoPenaltyFn f = new OrthoPenaltyFn(b, List.copyOf(weights), scale);
        double sum = 0;
        for (int l = 0; l < weights.size(); l++) sum += f.layerForward(l);
        f.penalty = sum;
        Tensor y = b.empty(Shape.of(1));
        b.fill(y, (float) (scale * sum));
        f.finish(y);
        return f;
    }

    /** {@code scale * sum_l ||W^_l W^_l^T - I||_F^2} as a Variable. */
    public static Variable apply(Backend b, float scale, List<? extends Variable> weights) { return compute(b, scale, weights).output(); }

    /** The unscaled penalty sum_l ||W^_l W^_l^T - I||_F^2 (dropped rows left out), computed in double from float G. */
    public double penalty() { return penalty; }

    @Override public String name() { return "ortho_penalty"; }

    private double layerForward(int l) {
        Tensor w = weights.get(l).value();
        if (w.rank() < 2) throw new IllegalArgumentException("ortho penalty: weight " + l + " has shape " + w.shape() + "; a conv weight [J, ...] was expected");
        int j = w.dim(0), d = w.numel() / j;
        Tensor w2 = w.reshape(j, d);
        float[] norm2 = rowSquaredNorms(w2, j, d);
        float[] inv = new float[j];
        int kept = 0;
        for (int r = 0; r < j; r++) {
            if (norm2[r] >= ZERO_NORM2) { inv[r] = (float) (1.0 / Math.sqrt(norm2[r])); kept++; }
            else if (Float.isNaN(norm2[r])) inv[r] = Float.NaN;     // a NaN weight stays visible in the value
        }
        Tensor invT = backend.fromHost(inv, Shape.of(j));
        Tensor wn = backend.empty(Shape.of(j, d));
        backend.copy(w2, wn);
        backend.scaleRows(wn, invT);
        Tensor g = backend.empty(Shape.of(j, j));
        backend.gemm(false, true, 1f, wn, wn, 0f, g);
        normalised[l] = wn;
        inverseNorms[l] = invT;
        grams[l] = g;
        // ||G - I_kept||^2 = sum G^2 - 2 tr(G) + kept, and tr(G) = ||W^||_F^2 (dropped rows of W^ are zero)
        return backend.sumOfSquares(g) - 2 * backend.sumOfSquares(wn) + kept;
    }

    /** ||w_r||^2 per row on the host: (w * w) times a column of ones, on the backend. */
    private float[] rowSquaredNorms(Tensor w2, int j, int d) {
        Tensor sq = backend.empty(Shape.of(j, d));
        backend.mul(w2, w2, sq);
        Tensor ones = backend.empty(Shape.of(d, 1));
        backend.fill(ones, 1f);
        Tensor n2 = backend.empty(Shape.of(j, 1));
        backend.gemm(false, false, 1f, sq, ones, 0f, n2);
        return backend.toHost(n2);
    }

    @Override protected void backward(Tensor dy) {
        float s = backend.toHost(dy)[0] * scale;
        for (int l = 0; l < weights.size(); l++) {
            Variable w = weights.get(l);
            if (!w.requiresGrad()) continue;
            Tensor wn = normalised[l];
            int j = wn.dim(0), d = wn.dim(1);
            Tensor dw = backend.empty(w.shape());
            Tensor gw = dw.reshape(j, d);
            backend.gemm(false, false, 4f * s, grams[l], wn, 0f, gw);     // 4 s G W^
            backend.axpy(-4f * s, wn, gw);                                  // - 4 s W^  (dropped rows: zero either way)
            Tensor prod = backend.empty(Shape.of(j, d));
            backend.mul(gw, wn, prod);
            Tensor ones = backend.empty(Shape.of(d, 1));
            backend.fill(ones, 1f);
            Tensor dots = backend.empty(Shape.of(j, 1));
            backend.gemm(false, false, 1f, prod, ones, 0f, dots);          // g_j . w^_j
            Tensor along = backend.empty(Shape.of(j, d));
            backend.copy(wn, along);
            backend.scaleRows(along, dots.reshape(j));
            backend.axpy(-1f, along, gw);                                   // the part of g_j along w^_j removed
            backend.scaleRows(gw, inverseNorms[l]);                         // divided by ||w_j|| (0 for dropped rows)
            w.accumulateGrad(backend, dw, true);
        }
    }
}
