package org.reaper.data;

import org.reaper.ReaperException;
import org.reaper.rng.RandomStream;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves the mini-batches of an epoch, prepared ahead by a background daemon thread (up to
 * {@value #QUEUE_DEPTH} batches wait in a bounded queue while the current training step runs).
 *
 * <p>The shuffle order and the augmentation of every image are a pure function of (seed, epoch):
 * epoch {@code e} draws from {@code new RandomStream(seed).fork(e)}, so a run resumed at epoch k gets
 * exactly the batches an uninterrupted run gets there.
 *
 * <p>A dataset's {@link ImageDataset#decodeWorkers()} threads share each batch's images (decoding image files
 * is the slow part); every image's crop comes from its position in the epoch, so any number of workers gives
 * the same batches.
 *
 * <p>Full batches reuse float arrays from a small pool: a {@link Batch} is valid until the next
 * {@code next()} on its iterator. Calling {@link #epoch} again abandons the previous epoch's iterator
 * (its thread is stopped; using that iterator afterwards throws IllegalStateException). An exception
 * while preparing a batch is rethrown by the consumer's {@code hasNext()/next()}.
 */
public final class BatchLoader implements AutoCloseable {
    static final int QUEUE_DEPTH = 3;
    private static final int POOL_SIZE = QUEUE_DEPTH + 2; // queued + one being filled + one held by the consumer
    private static final long SHUFFLE_STREAM = 1, AUGMENT_STREAM = 2;

    private final ImageDataset ds;
    private final int batchSize;
    private final boolean shuffle, dropLast;
    private final Augmentation aug;
    private final Normalization norm;
    private final long seed;
    private final List<Slot> pool = new ArrayList<>();   // created lazily, at most POOL_SIZE
    private EpochRun current;
    private boolean closed;
    private final AtomicLong waitedNanos = new AtomicLong();   // consumers' time blocked on an empty queue, all epochs

    public BatchLoader(ImageDataset ds, int batchSize, boolean shuffle, boolean dropLast,
                       Augmentation aug, Normalization norm, long seed) {
        if (batchSize <= 0) throw new ReaperException("batch size must be positive, got " + batchSize);
        if (ds.size() == 0) throw new ReaperException("dataset " + ds.description() + " has no images");
        if (dropLast && ds.size() < batchSize)
            throw new ReaperException("batch size " + batchSize + " is larger than the " + ImageDataset.count(ds.size())
                    + " images of " + ds.description() + ": use a smaller --batch");
        if (norm.channels() != ds.channels())
            throw new IllegalArgumentException("normalisation has " + norm.channels() + " channels, dataset " + ds.channels());
        this.ds = ds;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.aug = aug == null ? Augmentation.NONE : aug;
        this.norm = norm;
        this.seed = seed;
    }

    public int batchesPerEpoch() {
        return dropLast ? ds.size() / batchSize : (ds.size() + batchSize - 1) / batchSize;
    }

    public int batchSize() { return batchSize; }
    public ImageDataset dataset() { return ds; }

    /** Images served per epoch (fewer than the dataset's size when the last partial batch is dropped). */
    public int imagesPerEpoch() { return dropLast ? batchesPerEpoch() * batchSize : ds.size(); }

    /** The batches of {@code epoch}, starting to prepare them now in the background. */
    public synchronized Iterator<Batch> epoch(int epoch) {
        if (closed) throw new IllegalStateException("batch loader is closed");
        if (current != null) current.cancel();
        current = new EpochRun(epoch);
        current.thread.start();
        return current;
    }

    /** The order in which epoch {@code epoch} visits the dataset's images. */
    public int[] order(int epoch) {
        int[] order = new int[ds.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) epochStream(epoch).fork(SHUFFLE_STREAM).shuffle(order);
        return order;
    }

    @Override public synchronized void close() {
        closed = true;
        if (current != null) current.cancel();
        current = null;
    }

    /**
     * How long the consumers of this loader's epochs have been blocked waiting for a batch that was not ready yet
     * (the first of each epoch included), in total since the loader was made. The trainer reports its growth per
     * epoch: near 0 means the loader keeps ahead of the training steps.
     */
    public long waitedNanos() { return waitedNanos.get(); }

    private RandomStream epochStream(int epoch) { return new RandomStream(seed).fork(epoch); }

    private static final class Slot {
        final float[] images, labels;
        final boolean pooled;
        Slot(int images, int labels, boolean pooled) {
            this.images = new float[images];
            this.labels = new float[labels];
            this.pooled = pooled;
        }
    }

    private record Ready(Batch batch, Slot slot) {}
    private record Failure(Throwable error) {}
    private static final Object END = new Object(), ABANDONED = new Object();

    /** One epoch: the producing thread and the consumer's iterator. */
    private final class EpochRun implements Iterator<Batch>, Runnable {
        final int epoch;
        final int total = batchesPerEpoch();
        final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(QUEUE_DEPTH);
        final BlockingQueue<Slot> free = new ArrayBlockingQueue<>(POOL_SIZE);
        final Thread thread;
        volatile boolean cancelled;
        Ready lookahead, held;
        boolean finished, ended;

        EpochRun(int epoch) {
            this.epoch = epoch;
            free.addAll(pool);
            thread = new Thread(this, "reaper-batch-loader-epoch-" + epoch);
            thread.setDaemon(true);
        }

        @Override public void run() {
            try {
                int[] order = order(epoch);
                long augSeed = epochStream(epoch).fork(AUGMENT_STREAM).seed();
                int imageFloats = ds.imageBytes();
                try (DecodePool workers = new DecodePool(ds, aug, norm, ds.decodeWorkers())) {
                    for (int b = 0; b < total && !cancelled; b++) {
                        int first = b * batchSize, n = Math.min(batchSize, ds.size() - first);
                        Slot slot = n == batchSize ? takeFreeSlot(imageFloats) : new Slot(n * imageFloats, n, false);
                        workers.fill(order, first, n, augSeed, slot.images, slot.labels);
                        ready.put(new Ready(new Batch(slot.images, slot.labels, n), slot));
                    }
                }
                if (!cancelled) ready.put(END);
            } catch (InterruptedException e) {
                // cancelled: the consumer gets ABANDONED from cancel()
            } catch (Throwable t) {
                if (!cancelled) {
                    try {
                        ready.put(new Failure(t));
                    } catch (InterruptedException ignored) {
                        // cancelled while reporting
                    }
                }
            }
        }

        private Slot takeFreeSlot(int imageFloats) throws InterruptedException {
            Slot s = free.poll();
            if (s != null) return s;
            synchronized (pool) {
                if (pool.size() < POOL_SIZE) {
                    Slot fresh = new Slot(batchSize * imageFloats, batchSize, true);
                    pool.add(fresh);
                    return fresh;
                }
            }
            return free.take();
        }

        @Override public boolean hasNext() {
            if (ended) return false;
            if (cancelled) throw abandoned();
            if (lookahead != null) return true;
            if (finished) return false;
            Object item;
            try {
                item = ready.poll();
                if (item == null) {     // not ready: the consumer waits for the loader
                    long t0 = System.nanoTime();
                    item = ready.take();
                    waitedNanos.addAndGet(System.nanoTime() - t0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch");
            }
            if (item instanceof Ready r) {
                lookahead = r;
                return true;
            }
            finished = true;
            if (item == END) {
                ended = true;
                return false;
            }
            if (item == ABANDONED) throw abandoned();
            Throwable t = ((Failure) item).error();
            if (t instanceof ReaperException re) throw new ReaperException(re.getMessage(), re);
            throw new IllegalStateException("preparing a batch failed: " + t, t);
        }

        @Override public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("epoch " + epoch + " has no more batches");
            if (held != null && held.slot.pooled) free.offer(held.slot);
            held = lookahead;
            lookahead = null;
            return held.batch;
        }

        private IllegalStateException abandoned() {
            return new IllegalStateException("the iterator of epoch " + epoch + " was abandoned by a later epoch() or close()");
        }

        /** Stops the producer and waits for it, so the pool is free for the next epoch. */
        void cancel() {
            cancelled = true;
            thread.interrupt();
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            ready.clear();
            ready.offer(ABANDONED);
        }
    }
}
