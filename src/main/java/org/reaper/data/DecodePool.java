package org.reaper.data;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loader's decode workers: the images of a batch split into contiguous chunks, one per worker, each
 * worker with its own {@link BatchAssembler}. With one worker everything runs on the calling thread.
 */
final class DecodePool implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private final ExecutorService pool;
    private final int workers;
    private final ThreadLocal<BatchAssembler> assemblers;

    DecodePool(ImageDataset ds, Augmentation aug, Normalization norm, int workers) {
        this.workers = Math.max(1, workers);
        this.assemblers = ThreadLocal.withInitial(() -> new BatchAssembler(ds, aug, norm));
        int id = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = this.workers == 1 ? null : Executors.newFixedThreadPool(this.workers, r -> {
            Thread t = new Thread(r, "reaper-decode-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void fill(int[] order, int first, int count, long augSeed, float[] images, float[] labels) throws InterruptedException {
        if (pool == null) {
            assemblers.get().fill(order, first, count, augSeed, images, labels);
            return;
        }
        int chunk = (count + workers - 1) / workers, imageFloats = images.length / Math.max(1, labels.length);
        List<Future<?>> parts = new ArrayList<>();
        for (int from = 0; from < count; from += chunk) {
            int lo = from, hi = Math.min(count, from + chunk);
            parts.add(pool.submit(() -> {
                BatchAssembler a = assemblers.get();
                for (int k = lo; k < hi; k++) {
                    int i = order[first + k];
                    labels[k] = a.label(i);
                    a.fillOne(i, first + k, augSeed, images, k * imageFloats);
                }
            }));
        }
        try {
            for (Future<?> f : parts) f.get();
        } catch (ExecutionException e) {
            for (Future<?> f : parts) f.cancel(true);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
    }

    @Override public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
