package org.reaper.repr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.reaper.backend.Backend;
import org.reaper.backend.NullSpaceReinit;
import org.reaper.nn.Conv2d;
import org.reaper.nn.Init;
import org.reaper.nn.InitScheme;
import org.reaper.nn.Persistent;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Tensor;

/**
 * Writes new values into the dropped filters of one conv layer at the end of a pruned phase; their biases are
 * set to 0 (batch norm and optimizer state are reset by {@link FilterMask}).
 * <ul>
 * <li>{@code null-space} (the paper): Gaussian vectors projected onto the null space of the stack
 * [kept filters; pre-drop values of the dropped ones], orthonormalised among themselves (double precision
 * Gram-Schmidt), then scaled. When that null space is too small for the m new filters (first layer: 32 filters
 * in 27 dimensions) the constraints are relaxed as the author advised: the kept filters are taken in order of
 * decreasing overlap (their ortho score among the kept), then the old values, while at most D - m constraints
 * fit, so the m new filters remain orthonormal among themselves. The report counts how many new filters are
 * orthogonal (|cos| &lt; 1e-4, measured on the written float32 values) to every kept filter and to their own old value.</li>
 * <li>{@code qr-column} (the official code): thin QR of the layer's weight matrix (columns = filters, dropped ones
 * holding their pre-drop values), signs fixed so diag(R) &gt; 0; column f of Q times {@code --qr-gain} becomes filter f.
 * Columns beyond the rank get a random unit vector orthogonal to the earlier columns where possible.</li>
 * <li>{@code default}: a fresh draw of the layer's default initialisation.</li>
 * </ul>
 * Scales for null-space: {@code default-norm} = the expected L2 norm of a filter under the run's init scheme
 * (sqrt(D / (3 fan_in)) for PyTorch's default, sqrt(2 D / fan_out) for He-normal); {@code mean-kept-norm};
 * {@code fan-in-clip}: unit vectors clamped element-wise to +-1/sqrt(fan_in) (this breaks exact orthogonality).
 */
public final class OrthogonalReinit {
    /** Threshold of |cos| under which a new filter counts as orthogonal. */
    public static final double ORTHOGONAL = 1e-4;

    public record LayerReport(String layer, int reinitialised, int fullOrthogonal, int constraintsUsed, int constraintsWanted,
                              double maxCosKept, double maxCosOld, double meanNorm) {}

    private final ReprOptions.Reinit method;
    private final ReprOptions.ReinitScale scale;
    private final double qrGain;
    private final InitScheme initScheme;

    public OrthogonalReinit(ReprOptions.Reinit method, ReprOptions.ReinitScale scale, double qrGain, InitScheme initScheme) {
        this.method = method; this.scale = scale; this.qrGain = qrGain; this.initScheme = initScheme;
    }

    public static OrthogonalReinit of(ReprOptions o, InitScheme scheme) {
        return new OrthogonalReinit(o.reinit, o.reinitScale, o.qrGain, scheme);
    }

    /**
     * Re-initialises {@code dropped} filters of {@code conv}; row i of {@code oldRows} (m x D, on the
     * training device) is the pre-drop value of filter {@code dropped[i]}. Kept filters are read from the
     * layer as they are now. The paper's null-space method runs where the weights live
     * ({@link Backend#reinitNullSpace}): only the kept filters' order (a few floats per filter) and the
     * per-filter report come to the host.
     */
    public LayerReport apply(Backend b, String name, Conv2d conv, int[] dropped, Tensor oldRows, RandomStream rng) {
        if (dropped.length == 0) return new LayerReport(name, 0, 0, 0, 0, 0, 0, 0);
        if (method == ReprOptions.Reinit.NULL_SPACE) return onDevice(b, name, conv, dropped, oldRows, rng);
        float[] oldFlat = b.toHost(oldRows);
        int d = conv.fanIn();
        float[][] rows = new float[dropped.length][];
        for (int i = 0; i < dropped.length; i++) rows[i] = Arrays.copyOfRange(oldFlat, i * d, (i + 1) * d);
        return onHost(b, name, conv, dropped, rows, rng);
    }

    /** As above with the pre-drop values given on the host (a tool, a test, a resumed hypothetical cycle). */
    public LayerReport apply(Backend b, String name, Conv2d conv, int[] dropped, float[][] oldRows, RandomStream rng) {
        if (dropped.length == 0) return new LayerReport(name, 0, 0, 0, 0, 0, 0, 0);
        FilterMask.PreDrop p = FilterMask.PreDrop.upload(b, oldRows, conv.fanIn(), null, null, null);
        try {
            return apply(b, name, conv, dropped, p.weight(), rng);
        } finally {
            p.weight().close();
        }
    }

    private LayerReport onDevice(Backend b, String name, Conv2d conv, int[] dropped, Tensor oldRows, RandomStream rng) {
        int d = conv.fanIn(), m = dropped.length;
        NullSpaceReinit.Scale s = switch (scale) {
            case DEFAULT_NORM -> NullSpaceReinit.Scale.TARGET_NORM;
            case MEAN_KEPT_NORM -> NullSpaceReinit.Scale.MEAN_KEPT_NORM;
            case FAN_IN_CLIP -> NullSpaceReinit.Scale.FAN_IN_CLIP;
        };
        NullSpaceReinit.Request q = new NullSpaceReinit.Request(keptByOverlap(b, conv, dropped), oldRows, dropped, Math.max(0, d - m), s,
                defaultNorm(conv), rng.seed(), rng.offset());
        NullSpaceReinit.Result r = b.reinitNullSpace(conv.weight().value(), conv.bias() == null ? null : conv.bias().value(), q);
        rng.reserve(r.blocksConsumed());
        int full = 0;
        double maxKept = 0, maxOld = 0, normSum = 0;
        for (int i = 0; i < m; i++) {
            if (r.maxCosKept()[i] < ORTHOGONAL && r.cosOld()[i] < ORTHOGONAL) full++;
            maxKept = Math.max(maxKept, r.maxCosKept()[i]);
            maxOld = Math.max(maxOld, r.cosOld()[i]);
            normSum += r.norms()[i];
        }
        return new LayerReport(name, m, full, r.constraintsUsed(), r.constraintsWanted(), maxKept, maxOld, normSum / m);
    }

    /**
     * The kept filters by decreasing overlap with the other kept filters (the paper's O among them, from
     * the device's ortho scores of the weight with the dropped rows masked out), ties by index.
     */
    static int[] keptByOverlap(Backend b, Conv2d conv, int[] dropped) {
        Tensor w = conv.weight().value();
        int j = conv.outChannels();
        float[] keepHost = new float[j];
        Arrays.fill(keepHost, 1f);
        for (int f : dropped) keepHost[f] = 0f;
        Tensor masked = Persistent.empty(b, w.shape()), keep = Persistent.empty(b, org.reaper.tensor.Shape.of(j)),
                scores = Persistent.empty(b, org.reaper.tensor.Shape.of(j));
        try {
            b.upload(keepHost, keep);
            b.copy(w, masked);
            b.scaleRows(masked, keep);
            b.orthoScores(masked, org.reaper.backend.OrthoOptions.PAPER, scores);
            float[] o = b.toHost(scores);
            return java.util.stream.IntStream.range(0, j).filter(f -> keepHost[f] == 1f).boxed()
                    .sorted(Comparator.comparingDouble((Integer f) -> -o[f]).thenComparingInt(f -> f))
                    .mapToInt(Integer::intValue).toArray();
        } finally {
            masked.close();
            keep.close();
            scores.close();
        }
    }

    /** The official code's QR-column method and the default init, computed on the host. */
    private LayerReport onHost(Backend b, String name, Conv2d conv, int[] dropped, float[][] oldRows, RandomStream rng) {
        int j = conv.outChannels(), d = conv.fanIn();
        float[] w = b.toHost(conv.weight().value());
        boolean[] isDropped = new boolean[j];
        for (int f : dropped) isDropped[f] = true;
        List<double[]> kept = new ArrayList<>();
        for (int f = 0; f < j; f++) if (!isDropped[f]) kept.add(row(w, f, d));
        double[][] old = new double[dropped.length][];
        for (int i = 0; i < dropped.length; i++) { old[i] = new double[d]; for (int k = 0; k < d; k++) old[i][k] = oldRows[i][k]; }

        int[] used = new int[2];
        double[][] fresh = switch (method) {
            case QR_COLUMN -> qrColumns(w, j, d, dropped, old, rng);
            default -> defaultInit(b, conv, dropped, rng);
        };
        for (int i = 0; i < dropped.length; i++)
            for (int k = 0; k < d; k++) w[dropped[i] * d + k] = (float) fresh[i][k];
        b.upload(w, conv.weight().value());
        if (conv.bias() != null) {
            float[] bias = b.toHost(conv.bias().value());
            for (int f : dropped) bias[f] = 0f;
            b.upload(bias, conv.bias().value());
        }
        return measure(name, w, d, kept, old, dropped, used);
    }

    /** Host reference of {@link #keptByOverlap}: kept filters by decreasing overlap (paper's O, in double), ties by index. */
    static List<double[]> byOverlap(List<double[]> kept) {
        int n = kept.size();
        double[] o = new double[n];
        for (int a = 0; a < n; a++)
            for (int c = 0; c < n; c++) if (a != c) o[a] += NullSpace.absCos(kept.get(a), kept.get(c)) / n;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -o[i]).thenComparingInt(i -> i));
        List<double[]> out = new ArrayList<>();
        for (int i : order) out.add(kept.get(i));
        return out;
    }

    /** Expected L2 norm of one filter under the run's init scheme. */
    public double defaultNorm(Conv2d conv) {
        int d = conv.fanIn();
        return switch (initScheme) {
            case PYTORCH_DEFAULT -> Math.sqrt(d / (3.0 * conv.fanIn()));
            case HE_NORMAL -> Math.sqrt(2.0 * d / conv.fanOut());
        };
    }

    private double[][] qrColumns(float[] w, int j, int d, int[] dropped, double[][] old, RandomStream rng) {
        double[][] cols = new double[j][];
        for (int f = 0; f < j; f++) cols[f] = row(w, f, d);
        for (int i = 0; i < dropped.length; i++) cols[dropped[i]] = old[i];
        NullSpace q = new NullSpace(d);
        double[][] qcol = new double[j][];
        for (int f = 0; f < j; f++) qcol[f] = q.add(cols[f]) ? q.lastAdded() : q.randomOrthogonal(rng);
        double[][] out = new double[dropped.length][];
        for (int i = 0; i < dropped.length; i++) {
            out[i] = qcol[dropped[i]].clone();
            for (int k = 0; k < d; k++) out[i][k] *= qrGain;
        }
        return out;
    }

    private double[][] defaultInit(Backend b, Conv2d conv, int[] dropped, RandomStream rng) {
        Tensor t = Persistent.empty(b, conv.weight().value().shape());
        try {
            Init.initLayer(b, initScheme, rng, t, null, conv.fanIn(), conv.fanOut());
            float[] w = b.toHost(t);
            double[][] out = new double[dropped.length][];
            for (int i = 0; i < dropped.length; i++) out[i] = row(w, dropped[i], conv.fanIn());
            return out;
        } finally {
            t.close();
        }
    }

    private static LayerReport measure(String name, float[] w, int d, List<double[]> kept, double[][] old, int[] dropped, int[] used) {
        int full = 0;
        double maxKept = 0, maxOld = 0, normSum = 0;
        for (int i = 0; i < dropped.length; i++) {
            double[] v = row(w, dropped[i], d);
            double mk = 0;
            for (double[] k : kept) mk = Math.max(mk, NullSpace.absCos(v, k));
            double mo = NullSpace.absCos(v, old[i]);
            if (mk < ORTHOGONAL && mo < ORTHOGONAL) full++;
            maxKept = Math.max(maxKept, mk);
            maxOld = Math.max(maxOld, mo);
            normSum += NullSpace.norm(v);
        }
        return new LayerReport(name, dropped.length, full, used[0], used[1], maxKept, maxOld,
                dropped.length == 0 ? 0 : normSum / dropped.length);
    }

    static double[] row(float[] w, int f, int d) {
        double[] r = new double[d];
        for (int k = 0; k < d; k++) r[k] = w[f * d + k];
        return r;
    }
}
