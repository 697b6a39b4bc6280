package org.reaper.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The shading of pruned phases and the epoch axis, shared by every plot against epochs (curves.png, ortho_sum.png,
 * study.png) so they agree: a value at x = e is measured at the end of epoch e (1-based), so epoch e was trained
 * over (e - 1, e] and a phase of epochs a..b is shaded from a - 1 to b.
 */
public final class PhaseBands {
    public static final Color FILL = new Color(120, 120, 120, 55);

    private PhaseBands() {}

    /** [from, to] x ranges of consecutive epochs (1-based, ascending) whose phase is not "full". */
    public static List<double[]> of(List<? extends Number> epochs, List<String> phases) {
        List<double[]> out = new ArrayList<>();
        double start = -1, end = -1;
        for (int i = 0; i < epochs.size(); i++) {
            double e = epochs.get(i).doubleValue();
            if (!"full".equals(phases.get(i))) {
                if (start < 0) start = e - 1;
                end = e;
            } else if (start >= 0) {
                out.add(new double[] {start, end});
                start = -1;
            }
        }
        if (start >= 0) out.add(new double[] {start, end});
        return out;
    }

    /** Shades the bands up to {@code top}; the first one appears in the legend as "pruned phase" when {@code legend}. */
    public static void draw(XYChart c, List<double[]> bands, double top, boolean legend) {
        for (int i = 0; i < bands.size(); i++) {
            double[] b = bands.get(i);
            XYSeries s = c.addSeries(i == 0 ? "pruned phase" : "pruned phase " + (i + 1), new double[] {b[0], b[1]}, new double[] {top, top});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            s.setFillColor(FILL);
            s.setLineColor(FILL);
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(legend && i == 0);
        }
    }

    /** Epochs are whole numbers: label only whole ticks, so a short run shows no "0.5". */
    public static void wholeEpochTicks(XYChart c) {
        c.getStyler().setxAxisTickLabelsFormattingFunction(x -> Math.abs(x - Math.rint(x)) < 1e-9 ? String.format(Locale.ROOT, "%d", Math.round(x)) : "");
    }
}
