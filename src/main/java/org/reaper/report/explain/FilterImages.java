package org.reaper.report.explain;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Pictures of weights as small PNG data URIs at one pixel per value (the page scales them up with
 * {@code image-rendering: pixelated}, which keeps the file small and the pixels sharp).
 */
final class FilterImages {
    private FilterImages() {}

    /**
     * Filter {@code f} of an OIHW weight with {@code c} input channels of k x k: RGB when c = 3 (the first layer
     * sees colour), else a grid of c grayscale k x k tiles. Values map linearly, 0 to mid grey, +-max|w| of the filter to the ends.
     */
    static String filter(float[] w, int f, int c, int k) {
        int d = c * k * k, off = f * d;
        double max = 1e-12;
        for (int i = 0; i < d; i++) max = Math.max(max, Math.abs(w[off + i]));
        if (c == 3) {
            BufferedImage img = new BufferedImage(k, k, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < k; y++)
                for (int x = 0; x < k; x++) {
                    int rgb = 0;
                    for (int ch = 0; ch < 3; ch++) rgb = (rgb << 8) | level(w[off + (ch * k + y) * k + x], max);
                    img.setRGB(x, y, rgb);
                }
            return dataUri(img);
        }
        int cols = (int) Math.ceil(Math.sqrt(c)), rows = (c + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * (k + 1) - 1, rows * (k + 1) - 1, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, 0xFFFFFF);
        for (int ch = 0; ch < c; ch++) {
            int ox = (ch % cols) * (k + 1), oy = (ch / cols) * (k + 1);
            for (int y = 0; y < k; y++)
                for (int x = 0; x < k; x++) {
                    int g = level(w[off + (ch * k + y) * k + x], max);
                    img.setRGB(ox + x, oy + y, (g << 16) | (g << 8) | g);
                }
        }
        return dataUri(img);
    }

    /** A rows x cols matrix as a blue (negative) / white / red (positive) heatmap, symmetric around 0. */
    static String heatmap(double[][] m) {
        double max = 1e-12;
        for (double[] r : m) for (double v : r) max = Math.max(max, Math.abs(v));
        BufferedImage img = new BufferedImage(m[0].length, m.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < m.length; y++)
            for (int x = 0; x < m[y].length; x++) {
                double t = Math.max(-1, Math.min(1, m[y][x] / max));
                int fade = (int) Math.round(255 * (1 - Math.abs(t)));
                img.setRGB(x, y, t >= 0 ? (255 << 16) | (fade << 8) | fade : (fade << 16) | (fade << 8) | 255);
            }
        return dataUri(img);
    }

    /** An existing PNG file as a data URI, or null when the run has none. */
    static String file(Path png) {
        try {
            return Files.isRegularFile(png) ? "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static int level(float v, double max) { return (int) Math.round(255 * (0.5 + 0.5 * v / max)); }

    private static String dataUri(BufferedImage img) {
        System.setProperty("java.awt.headless", "true");
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
