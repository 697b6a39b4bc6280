package org.reaper.data;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Batch contents, determinism per (seed, epoch), and the background thread's life cycle. */
class BatchLoaderTest {
    private static final int CHW = 3072;
    private final ImageDataset ds = SyntheticData.random(100, 10, 7);
    private final Normalization norm = Normalization.of(ds);

    private static List<float[]> collect(Iterator<Batch> it) {
        List<float[]> out = new ArrayList<>();
        while (it.hasNext()) {
            Batch b = it.next();
            out.add(b.images().clone());
            out.add(b.labels().clone());
        }
        return out;
    }

    private static void assertSameBatches(List<float[]> a, List<float[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), "array " + i);
    }

    /** The normalised image {@code i} with no augmentation, computed directly. */
    private float[] plain(int i) {
        byte[] img = new byte[CHW];
        ds.copyImage(i, img, 0);
        float[] out = new float[CHW];
        float[] mean = norm.mean(), std = norm.std();
        for (int p = 0; p < CHW; p++) out[p] = ((img[p] & 0xFF) / 255f - mean[p / 1024]) / std[p / 1024];
        return out;
    }

    /** Reference crop+flip: pad with zero bytes, cut the window at (dx, dy), mirror, normalise. */
    private float[] reference(int i, int pad, int dx, int dy, boolean flip) {
        byte[] img = new byte[CHW];
        ds.copyImage(i, img, 0);
        int side = 32 + 2 * pad;
        int[][][] padded = new int[3][side][side];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++) padded[c][y + pad][x + pad] = img[c * 1024 + y * 32 + x] & 0xFF;
        float[] out = new float[CHW];
        float[] mean = norm.mean(), std = norm.std();
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++) {
                    int v = padded[c][y + dy][(flip ? 31 - x : x) + dx];
                    out[c * 1024 + y * 32 + x] = (v / 255f - mean[c]) / std[c];
                }
        return out;
    }

    @Test void batchCountsAndEveryImageOncePerEpoch() {
        try (BatchLoader keep = new BatchLoader(ds, 32, true, false, Augmentation.NONE, norm, 1);
             BatchLoader drop = new BatchLoader(ds, 32, true, true, Augmentation.NONE, norm, 1)) {
            assertEquals(4, keep.batchesPerEpoch());
            assertEquals(3, drop.batchesPerEpoch());
            int[] order = keep.order(2);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < 100; i++) assertEquals(i, sorted[i]);
            int pos = 0, batches = 0;
            Iterator<Batch> it = keep.epoch(2);
            while (it.hasNext()) {
                Batch b = it.next();
                batches++;
                assertEquals(b.size() * CHW, b.images().length);
                assertEquals(b.size(), b.labels().length);
                for (int k = 0; k < b.size(); k++, pos++) {
                    assertEquals(ds.label(order[pos]), b.labels()[k]);
                    assertArrayEquals(plain(order[pos]), Arrays.copyOfRange(b.images(), k * CHW, (k + 1) * CHW), 1e-6f);
                }
            }
            assertEquals(4, batches);
            assertEquals(100, pos);
            assertFalse(it.hasNext());
            assertThrows(java.util.NoSuchElementException.class, it::next);
            assertEquals(96, collect(drop.epoch(0)).stream().mapToInt(a -> a.length).filter(n -> n != 32 * CHW).sum());
        }
    }

    @Test void unshuffledIsInOrder() {
        try (BatchLoader l = new BatchLoader(ds, 10, false, false, Augmentation.NONE, norm, 1)) {
            int[] order = l.order(5);
            for (int i = 0; i < 100; i++) assertEquals(i, order[i]);
            Batch first = l.epoch(5).next();
            assertEquals(ds.label(0), first.labels()[0]);
            assertEquals(ds.label(9), first.labels()[9]);
        }
    }

    @Test void sameSeedAndEpochGiveSameBatchesAndResumeMatches() {
        List<float[]> a, b, c, d;
        try (BatchLoader l1 = new BatchLoader(ds, 16, true, false, Augmentation.standard(), norm, 42)) {
            collect(l1.epoch(0));
            collect(l1.epoch(1));
            a = collect(l1.epoch(2)); // after two earlier epochs
            c = collect(l1.epoch(3));
        }
        try (BatchLoader l2 = new BatchLoader(ds, 16, true, false, Augmentation.standard(), norm, 42)) {
            b = collect(l2.epoch(2)); // a "resumed" run starts at epoch 2
        }
        try (BatchLoader l3 = new BatchLoader(ds, 16, true, false, Augmentation.standard(), norm, 43)) {
            d = collect(l3.epoch(2));
        }
        assertSameBatches(a, b);
        assertFalse(Arrays.equals(a.get(1), c.get(1)), "another epoch has another order");
        assertFalse(Arrays.equals(a.get(0), d.get(0)), "another seed has other batches");
        try (BatchLoader l = new BatchLoader(ds, 16, true, false, Augmentation.NONE, norm, 42)) {
            assertFalse(Arrays.equals(l.order(2), l.order(3)));
            assertArrayEquals(l.order(2), l.order(2));
        }
    }

    @Test void cropOffsetsStayInRangeAndPaddingIsBlack() {
        Augmentation crop = new Augmentation(true, 4, false);
        Set<Integer> offsets = new HashSet<>();
        try (BatchLoader l = new BatchLoader(ds, 25, false, false, crop, norm, 3)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                int pos = 0;
                for (Iterator<Batch> it = l.epoch(epoch); it.hasNext(); ) {
                    Batch b = it.next();
                    for (int k = 0; k < b.size(); k++, pos++) {
                        float[] got = Arrays.copyOfRange(b.images(), k * CHW, (k + 1) * CHW);
                        int found = -1;
                        for (int dy = 0; dy <= 8 && found < 0; dy++)
                            for (int dx = 0; dx <= 8 && found < 0; dx++)
                                if (Arrays.equals(got, reference(pos, 4, dx, dy, false))) found = dy * 9 + dx;
                        assertTrue(found >= 0, "image " + pos + " is no pad-4 crop of its source");
                        offsets.add(found);
                    }
                }
            }
        }
        assertTrue(offsets.size() > 40, "200 crops should use many of the 81 offsets, used " + offsets.size());
        assertTrue(offsets.contains(0 * 9 + 0) || offsets.contains(8 * 9 + 8) || offsets.contains(8) || offsets.contains(72),
                "some crop should reach a corner");
    }

    @Test void flipMirrorsAboutHalfTheImages() {
        Augmentation flip = new Augmentation(false, 0, true);
        int flipped = 0, total = 0;
        try (BatchLoader l = new BatchLoader(ds, 50, false, false, flip, norm, 9)) {
            for (int epoch = 0; epoch < 4; epoch++) {
                int pos = 0;
                for (Iterator<Batch> it = l.epoch(epoch); it.hasNext(); ) {
                    Batch b = it.next();
                    for (int k = 0; k < b.size(); k++, pos++, total++) {
                        float[] got = Arrays.copyOfRange(b.images(), k * CHW, (k + 1) * CHW);
                        boolean same = Arrays.equals(got, plain(pos));
                        boolean mirrored = Arrays.equals(got, reference(pos, 0, 0, 0, true));
                        assertTrue(same ^ mirrored, "image " + pos + " must be the original or its mirror");
                        if (mirrored) flipped++;
                    }
                }
            }
        }
        assertTrue(flipped > 150 && flipped < 250, flipped + " of " + total + " flipped");
    }

    @Test void standardAugmentationIsCropThenFlip() {
        try (BatchLoader l = new BatchLoader(ds, 20, true, false, Augmentation.standard(), norm, 11)) {
            int[] order = l.order(0);
            Batch b = l.epoch(0).next();
            for (int k = 0; k < 5; k++) {
                float[] got = Arrays.copyOfRange(b.images(), k * CHW, (k + 1) * CHW);
                boolean ok = false;
                for (int dy = 0; dy <= 8 && !ok; dy++)
                    for (int dx = 0; dx <= 8 && !ok; dx++)
                        ok = Arrays.equals(got, reference(order[k], 4, dx, dy, false)) || Arrays.equals(got, reference(order[k], 4, dx, dy, true));
                assertTrue(ok, "batch image " + k);
            }
        }
    }

    @Test void normalisedBatchesHaveZeroMeanUnitStd() {
        double[] sum = new double[3], sq = new double[3];
        long n = 0;
        try (BatchLoader l = new BatchLoader(ds, 30, true, false, Augmentation.NONE, norm, 1)) {
            for (Iterator<Batch> it = l.epoch(0); it.hasNext(); ) {
                Batch b = it.next();
                for (int p = 0; p < b.images().length; p++) {
                    int c = (p % CHW) / 1024;
                    sum[c] += b.images()[p];
                    sq[c] += b.images()[p] * b.images()[p];
                }
                n += b.size() * 1024L;
            }
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(0, sum[c] / n, 1e-4, "mean of channel " + c);
            assertEquals(1, Math.sqrt(sq[c] / n - Math.pow(sum[c] / n, 2)), 1e-3, "std of channel " + c);
        }
    }

    @Test void newEpochAbandonsOldIteratorAndCloseStopsThread() throws Exception {
        BatchLoader l = new BatchLoader(ds, 4, true, false, Augmentation.standard(), norm, 5);
        Iterator<Batch> old = l.epoch(0);
        old.next();
        Thread.sleep(50); // let the producer fill the queue and block
        assertTrue(loaderThreads().stream().allMatch(Thread::isDaemon));
        assertFalse(loaderThreads().isEmpty());
        List<float[]> fresh = collect(l.epoch(1));
        assertThrows(IllegalStateException.class, old::hasNext);
        try (BatchLoader other = new BatchLoader(ds, 4, true, false, Augmentation.standard(), norm, 5)) {
            assertSameBatches(collect(other.epoch(1)), fresh);
        }
        Iterator<Batch> running = l.epoch(2);
        running.next();
        l.close();
        assertThrows(IllegalStateException.class, running::hasNext);
        assertThrows(IllegalStateException.class, () -> l.epoch(3));
        long deadline = System.currentTimeMillis() + 2000;
        while (!loaderThreads().isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertTrue(loaderThreads().isEmpty(), "close() ends the loader thread");
    }

    @Test void aConsumerSlowerThanTheLoaderHardlyWaits() throws Exception {
        try (BatchLoader l = new BatchLoader(ds, 10, true, false, Augmentation.standard(), norm, 3)) {
            assertEquals(0, l.waitedNanos(), "nothing consumed, nothing waited");
            Iterator<Batch> it = l.epoch(0);
            it.next();
            long before = l.waitedNanos(), slept = 0;
            while (it.hasNext()) {
                long t0 = System.nanoTime();
                Thread.sleep(30);            // a training step far slower than preparing 10 CIFAR images
                slept += System.nanoTime() - t0;
                it.next();
            }
            long waited = l.waitedNanos() - before;
            assertTrue(waited >= 0 && waited < slept / 4, "waited " + waited / 1e6 + " ms over " + slept / 1e6 + " ms of steps");
        }
    }

    @Test void producerErrorsSurfaceInTheConsumer() {
        // a segment that claims more records than its bytes hold: reading record 3 fails in the producer
        ImageDataset.Segment seg = new ImageDataset.Segment(ByteBuffer.allocate(3 * CHW), 5, CHW, 0);
        ImageDataset broken = ImageDataset.ofSegments(List.of(seg), new int[] {0, 1, 2, 3, 4}, 3, 32, 32, 10, "broken");
        try (BatchLoader l = new BatchLoader(broken, 2, false, false, Augmentation.NONE, Normalization.cifar10Standard(), 1)) {
            Iterator<Batch> it = l.epoch(0);
            assertEquals(2, it.next().size());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> { while (it.hasNext()) it.next(); });
            assertInstanceOf(IndexOutOfBoundsException.class, e.getCause());
        }
    }

    @Test void badBatchSizesAreUserErrors() {
        assertThrows(org.reaper.ReaperException.class, () -> new BatchLoader(ds, 0, true, false, Augmentation.NONE, norm, 1));
        org.reaper.ReaperException e = assertThrows(org.reaper.ReaperException.class,
                () -> new BatchLoader(ds, 128, true, true, Augmentation.NONE, norm, 1));
        assertTrue(e.getMessage().contains("batch size 128 is larger than the 100 images"), e.getMessage());
        try (BatchLoader l = new BatchLoader(ds, 128, true, false, Augmentation.NONE, norm, 1)) {
            assertEquals(1, l.batchesPerEpoch());
            assertEquals(100, l.epoch(0).next().size());
        }
    }

    private static List<Thread> loaderThreads() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet())
            if (t.getName().startsWith("reaper-batch-loader") && t.isAlive()) out.add(t);
        return out;
    }
}
