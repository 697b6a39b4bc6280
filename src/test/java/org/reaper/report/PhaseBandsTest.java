package org.reaper.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** One rule for the shading of pruned epochs in every plot, and whole epoch ticks. */
class PhaseBandsTest {
    @Test void prunedEpochEIsShadedFromEMinusOneToE() {
        List<double[]> b = PhaseBands.of(List.of(1, 2, 3, 4, 5), List.of("full", "pruned", "pruned", "full", "pruned"));
        assertEquals(2, b.size());
        assertArrayEquals(new double[] {1, 3}, b.get(0));
        assertArrayEquals(new double[] {4, 5}, b.get(1));
        assertEquals(0, PhaseBands.of(List.of(1, 2), List.of("full", "full")).size());
    }

    @Test void onlyWholeEpochsAreLabelled() {
        XYChart c = new XYChartBuilder().build();
        PhaseBands.wholeEpochTicks(c);
        assertEquals("2", c.getStyler().getxAxisTickLabelsFormattingFunction().apply(2.0));
        assertEquals("", c.getStyler().getxAxisTickLabelsFormattingFunction().apply(2.5));
    }
}
