package org.reaper.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.reaper.ReaperException;
import org.reaper.io.AtomicFile;

/**
 * Writes XChart charts as PNG files, headless and atomically ({@link AtomicFile}), so a plot being redrawn
 * at an epoch end is never seen half written.
 */
public final class Png {
    private Png() {}

    public static void write(Path file, Chart<?, ?> chart) { write(file, List.of(chart), 1, 1); }

    /** Several charts in a grid of {@code rows} x {@code cols}. */
    public static void write(Path file, List<? extends Chart<?, ?>> charts, int rows, int cols) {
        System.setProperty("java.awt.headless", "true");
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            if (charts.size() == 1) BitmapEncoder.saveBitmap(charts.get(0), png, BitmapEncoder.BitmapFormat.PNG);
            else BitmapEncoder.saveBitmap(List.copyOf(charts), rows, cols, png, BitmapEncoder.BitmapFormat.PNG);
            AtomicFile.write(file, png.toByteArray());
        } catch (IOException e) {
            throw new ReaperException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
