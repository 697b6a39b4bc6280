package org.reaper.data;

import org.junit.jupiter.api.Test;
import org.reaper.ReaperException;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Normalisation statistics, validation splits, synthetic data and dataset views. */
class DatasetUtilitiesTest {

    /** n images whose first two pixel bytes spell the image's index, so views can be traced back. */
    private static ImageDataset indexed(int n) {
        byte[] px = new byte[n * 3072];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i * 3072] = (byte) (i >> 8);
            px[i * 3072 + 1] = (byte) i;
            labels[i] = i % 10;
        }
        return ImageDataset.fromBytes(px, labels, 3, 32, 32, 10, "indexed");
    }

    private static int originalIndex(ImageDataset ds, int i) {
        byte[] img = new byte[3072];
        ds.copyImage(i, img, 0);
        return ((img[0] & 0xFF) << 8) | (img[1] & 0xFF);
    }

    @Test void normalizationMatchesDirectComputation() {
        ImageDataset ds = SyntheticData.random(50, 10, 3);
        Normalization n = Normalization.of(ds);
        byte[] img = new byte[3072];
        for (int c = 0; c < 3; c++) {
            double s = 0, sq = 0;
            for (int i = 0; i < ds.size(); i++) {
                ds.copyImage(i, img, 0);
                for (int p = c * 1024; p < (c + 1) * 1024; p++) {
                    double v = (img[p] & 0xFF) / 255.0;
                    s += v;
                    sq += v * v;
                }
            }
            double cnt = ds.size() * 1024.0, mean = s / cnt, std = Math.sqrt(sq / cnt - mean * mean);
            assertEquals(mean, n.mean()[c], 1e-6);
            assertEquals(std, n.std()[c], 1e-5);
        }
        assertArrayEquals(new float[] {0.4914f, 0.4822f, 0.4465f}, Normalization.cifar10Standard().mean());
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new float[] {0.5f}, new float[] {0f}));
    }

    @Test void trainValSplitIsDisjointCompleteAndSeeded() {
        ImageDataset all = indexed(1000);
        ImageDataset[] split = Splits.trainVal(all, 150, 7);
        assertEquals(850, split[0].size());
        assertEquals(150, split[1].size());
        boolean[] seen = new boolean[1000];
        for (ImageDataset part : split)
            for (int i = 0; i < part.size(); i++) {
                int orig = originalIndex(part, i);
                assertFalse(seen[orig], "image " + orig + " is in both parts");
                seen[orig] = true;
                assertEquals(all.label(orig), part.label(i));
            }
        for (boolean s : seen) assertTrue(s);
        int[] a = new int[150], b = new int[150], c = new int[150];
        ImageDataset[] again = Splits.trainVal(all, 150, 7), other = Splits.trainVal(all, 150, 8);
        for (int i = 0; i < 150; i++) {
            a[i] = originalIndex(split[1], i);
            b[i] = originalIndex(again[1], i);
            c[i] = originalIndex(other[1], i);
        }
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertTrue(split[1].description().contains("validation part, 150 images"), split[1].description());
        assertEquals(150, Arrays.stream(split[1].labelCounts()).sum());
    }

    @Test void trainValEdgeCases() {
        ImageDataset all = indexed(20);
        ImageDataset[] none = Splits.trainVal(all, 0, 1);
        assertSame(all, none[0]);
        assertNull(none[1]);
        ReaperException e = assertThrows(ReaperException.class, () -> Splits.trainVal(all, 20, 1));
        assertTrue(e.getMessage().contains("--val 20 must be smaller than the 20 training images"), e.getMessage());
        assertThrows(ReaperException.class, () -> Splits.trainVal(all, -1, 1));
        assertEquals(1, Splits.trainVal(all, 19, 1)[0].size());
    }

    @Test void subsetOfSubsetMapsThrough() {
        ImageDataset all = indexed(30);
        ImageDataset s1 = all.subset(new int[] {29, 3, 10, 10}, "s1");
        ImageDataset s2 = s1.subset(new int[] {2, 0}, "s2");
        assertEquals(10, originalIndex(s2, 0));
        assertEquals(29, originalIndex(s2, 1));
        assertEquals(9, s2.label(1));
        assertThrows(IndexOutOfBoundsException.class, () -> s1.subset(new int[] {4}, "bad"));
        assertThrows(IndexOutOfBoundsException.class, () -> s1.label(4));
    }

    @Test void syntheticDataIsDeterministicAndClassDependent() {
        ImageDataset a = SyntheticData.random(200, 10, 5), b = SyntheticData.random(200, 10, 5), c = SyntheticData.random(200, 10, 6);
        byte[] x = new byte[3072], y = new byte[3072];
        a.copyImage(17, x, 0);
        b.copyImage(17, y, 0);
        assertArrayEquals(x, y);
        assertEquals(a.label(17), b.label(17));
        c.copyImage(17, y, 0);
        assertFalse(Arrays.equals(x, y));
        for (int count : a.labelCounts()) assertTrue(count > 5, Arrays.toString(a.labelCounts()));
        // images of one class are closer to each other than to another class's (the prototype shows)
        int i0 = -1, j0 = -1, k1 = -1;
        for (int i = 0; i < a.size(); i++) {
            if (a.label(i) == 0) { if (i0 < 0) i0 = i; else if (j0 < 0) j0 = i; }
            if (a.label(i) == 1 && k1 < 0) k1 = i;
        }
        assertTrue(distance(a, i0, j0) < distance(a, i0, k1));
        assertTrue(a.description().contains("200 random images"), a.description());
    }

    private static long distance(ImageDataset ds, int i, int j) {
        byte[] x = new byte[3072], y = new byte[3072];
        ds.copyImage(i, x, 0);
        ds.copyImage(j, y, 0);
        long d = 0;
        for (int p = 0; p < 3072; p++) d += Math.abs((x[p] & 0xFF) - (y[p] & 0xFF));
        return d;
    }
}
