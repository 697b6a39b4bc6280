package org.reaper.backend.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of daemon worker threads (one per requested thread, the caller being one of them)
 * and a parallel-for over index ranges. Closed by the backend, so no pool outlives it.
 */
public final class CpuParallel implements AutoCloseable {
    /** Body of a parallel loop over [start, end). */
    @FunctionalInterface public interface RangeBody { void run(int start, int end); }

    private final int threads;
    private final ExecutorService pool;

    public CpuParallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "reaper-cpu-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() { return threads; }

    /**
     * Splits [0, n) into at most {@code threads} contiguous chunks of at least {@code grain}
     * indices and runs them in parallel; returns when all are done (exceptions propagate).
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || pool == null) { body.run(0, n); return; }
        @SuppressWarnings("unchecked") Future<?>[] fs = new Future<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int s = (int) ((long) n * c / chunks), e = (int) ((long) n * (c + 1) / chunks);
            fs[c - 1] = pool.submit(() -> body.run(s, e));
        }
        body.run(0, (int) ((long) n / chunks));
        RuntimeException failure = null;
        for (Future<?> f : fs) {
            try { f.get(); }
            catch (java.util.concurrent.ExecutionException ex) {
                Throwable c = ex.getCause();
                if (failure == null) failure = c instanceof RuntimeException r ? r : new RuntimeException(c);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new RuntimeException("interrupted while waiting for CPU workers", ex);
            }
        }
        if (failure != null) throw failure;
    }

    @Override public void close() {
        if (pool == null) return;
        pool.shutdownNow();
        try { pool.awaitTermination(5, TimeUnit.SECONDS); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }
}
