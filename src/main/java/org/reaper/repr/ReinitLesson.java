package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;

/**
 * What the re-initialisation did to one layer, recomputed from the weights before the drop and right after the
 * re-init (not from the log): |cos| of every new filter with every kept filter and with its own old value, the
 * norms, and the free dimensions: D minus the rank of [kept; old], the room the null space had for the m new filters.
 */
public record ReinitLesson(String layer, int dim, int[] dropped, int[] kept, double[][] cosKept, double[] cosOld, double[] newNorms,
                           double meanKeptNorm, int keptRank, int freeDims, int fullOrthogonal) {

    /** {@code before} and {@code after} are the layer's J x D weights (row-major) at the drop and after the re-init. */
    public static ReinitLesson of(String layer, float[] before, float[] after, int filters, int[] dropped) {
        int d = before.length / filters;
        boolean[] isDropped = new boolean[filters];
        for (int f : dropped) isDropped[f] = true;
        List<Integer> keptList = new ArrayList<>();
        for (int f = 0; f < filters; f++) if (!isDropped[f]) keptList.add(f);
        int[] kept = keptList.stream().mapToInt(Integer::intValue).toArray();
        NullSpace keptSpace = new NullSpace(d), all = new NullSpace(d);
        double keptNorm = 0;
        for (int k : kept) {
            double[] r = OrthogonalReinit.row(after, k, d);
            keptSpace.add(r);
            all.add(r);
            keptNorm += NullSpace.norm(r);
        }
        for (int f : dropped) all.add(OrthogonalReinit.row(before, f, d));
        double[][] cosKept = new double[dropped.length][kept.length];
        double[] cosOld = new double[dropped.length], norms = new double[dropped.length];
        int full = 0;
        for (int i = 0; i < dropped.length; i++) {
            double[] v = OrthogonalReinit.row(after, dropped[i], d);
            double worst = 0;
            for (int j = 0; j < kept.length; j++) {
                cosKept[i][j] = NullSpace.absCos(v, OrthogonalReinit.row(after, kept[j], d));
                worst = Math.max(worst, cosKept[i][j]);
            }
            cosOld[i] = NullSpace.absCos(v, OrthogonalReinit.row(before, dropped[i], d));
            norms[i] = NullSpace.norm(v);
            if (worst < OrthogonalReinit.ORTHOGONAL && cosOld[i] < OrthogonalReinit.ORTHOGONAL) full++;
        }
        return new ReinitLesson(layer, d, dropped.clone(), kept, cosKept, cosOld, norms, kept.length == 0 ? 0 : keptNorm / kept.length,
                keptSpace.rank(), d - all.rank(), full);
    }

    public double maxCosKept() {
        double m = 0;
        for (double[] r : cosKept) for (double c : r) m = Math.max(m, c);
        return m;
    }

    public double maxCosOld() {
        double m = 0;
        for (double c : cosOld) m = Math.max(m, c);
        return m;
    }

    /** True when the null space had room for every new filter (m free dimensions). */
    public boolean roomForAll() { return freeDims >= dropped.length; }
}
