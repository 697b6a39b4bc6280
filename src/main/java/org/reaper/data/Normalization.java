package org.reaper.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-channel normalisation {@code (pixel/255 - mean[c]) / std[c]}, as torchvision's ToTensor + Normalize.
 */
public record Normalization(float[] mean, float[] std) {

    public Normalization {
        if (mean.length != std.length || mean.length == 0)
            throw new IllegalArgumentException("mean and std need one value per channel, got " + mean.length + " and " + std.length);
        for (float s : std)
            if (!(s > 0)) throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
        mean = mean.clone();
        std = std.clone();
    }

    @Override public float[] mean() { return mean.clone(); }
    @Override public float[] std() { return std.clone(); }
    public int channels() { return mean.length; }

    /** Mean and (population) standard deviation of pixel/255 per channel over every image of {@code train}. */
    public static Normalization of(ImageDataset train) {
        int c = train.channels(), plane = train.height() * train.width();
        long[] sum = new long[c], sumSq = new long[c];
        byte[] img = new byte[train.imageBytes()];
        for (int i = 0; i < train.size(); i++) {
            train.copyImage(i, img, 0);
            for (int ch = 0; ch < c; ch++) {
                long s = 0, sq = 0;
                for (int p = ch * plane, end = p + plane; p < end; p++) {
                    int v = img[p] & 0xFF;
                    s += v;
                    sq += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += sq;
            }
        }
        double n = (double) train.size() * plane;
        if (n == 0) throw new IllegalArgumentException("cannot compute normalisation of an empty dataset: " + train.description());
        float[] mean = new float[c], std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            double var = Math.max(0, sumSq[ch] / n - m * m);
            mean[ch] = (float) (m / 255.0);
            std[ch] = (float) Math.max(Math.sqrt(var) / 255.0, 1e-6);
        }
        return new Normalization(mean, std);
    }

    /** The usual CIFAR-10 training-set statistics (mean, population std of pixel/255). */
    public static Normalization cifar10Standard() {
        return new Normalization(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});
    }

    /** torchvision's ImageNet statistics, used for every ImageNet-style dataset. */
    public static Normalization imagenet() {
        return new Normalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    }

    /** For each channel, the normalised value of each byte value 0..255: {@code table[c][v]}. */
    float[][] lookupTables() {
        float[][] t = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++)
            for (int v = 0; v < 256; v++) t[c][v] = (v / 255f - mean[c]) / std[c];
        return t;
    }

    public String describe() {
        StringBuilder b = new StringBuilder("mean [");
        for (int c = 0; c < mean.length; c++) b.append(c > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", mean[c]));
        b.append("], std [");
        for (int c = 0; c < std.length; c++) b.append(c > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", std[c]));
        return b.append(']').toString();
    }

    @Override public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }
    @Override public int hashCode() { return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std); }
    @Override public String toString() { return "Normalization(" + describe() + ")"; }
}
