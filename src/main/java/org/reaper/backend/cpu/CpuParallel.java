package org.reaper.backend.cpu;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of daemon worker threads (one per requested thread, the caller being one of them)
 * and a parallel-for over index ranges. Closed by the backend, so no pool outlives it.
 *
 * <p>A training step is a few hundred short parallel loops with serial work in between, so the hand-off
 * decides much of the step's spread: workers wait for about {@link #SPIN_NANOS} after a loop before they
 * park (spinning, then yielding the core to anything else runnable), and the caller waits as long for the
 * last chunk, as OpenMP runtimes do; a queue-and-future
 * executor parked and woke every worker for every loop. A loop started from inside a chunk (a worker's or
 * the caller's) runs inline on that thread (the kernels' results do not depend on how a range is split).
 *
 * <p>Each thread owns one contiguous chunk, as a static split would give it (so it finds the samples it wrote in
 * the op before in its own core's cache), and takes it piece by piece from the front; a thread that runs out
 * takes pieces from the back of the chunk with the most left. On a shared VM one core is often slower than the
 * other for minutes at a time (whatever else the host runs beside it), and a data loader takes a core now and
 * then: with a static split every loop waited for the slower core, up to 47 ms of a 210 ms resnet20 step.
 * {@link #stolenPieces()} counts the pieces that moved.
 */
public final class CpuParallel implements AutoCloseable {
    /** Body of a parallel loop over [start, end). */
    @FunctionalInterface public interface RangeBody { void run(int start, int end); }

    /** How long an idle worker (or the waiting caller) spins before it parks. */
    static final long SPIN_NANOS = 50_000;
    /** The first part of {@link #SPIN_NANOS} spent spinning without yielding the core. */
    static final long PURE_SPIN_NANOS = 5_000;

    /** A chunk is cut into about this many pieces (never below the loop's grain). */
    static final int PIECES_PER_CHUNK = 8;

    /**
     * One parallel loop: chunk c of {@code chunks} starts as [n*c/chunks, n*(c+1)/chunks); left[c] holds what of it
     * nobody has taken yet, as front << 32 | back.
     */
    private record Job(RangeBody body, int piece, AtomicLong[] left, Thread caller) {}

    private final int threads;
    private final Thread[] workers;
    private final AtomicLong epoch = new AtomicLong();          // bumped once per job
    private final AtomicInteger pending = new AtomicInteger();  // workers yet to finish the current job
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong stolen = new AtomicLong(), pieces = new AtomicLong();
    private volatile Job job;
    private volatile boolean closed;

    public CpuParallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int chunk = i + 1;
            workers[i] = new Thread(() -> work(chunk), "reaper-cpu-" + chunk);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    public int threads() { return threads; }

    /** Pieces a thread took from another thread's chunk since this pool started (a measure of unequal cores). */
    public long stolenPieces() { return stolen.get(); }

    /** Pieces of every loop handed to the workers since this pool started (loops run inline not counted). */
    public long pieces() { return pieces.get(); }

    /**
     * Splits [0, n) into at most {@code threads} contiguous chunks of at least {@code grain} indices and runs them
     * in parallel, each in pieces of at least {@code grain} indices (a piece may run on another thread than its
     * chunk's); returns when all are done (exceptions propagate).
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        // inline: one chunk, no workers, or a loop started from inside a chunk: a worker's (checked before taking
        // the lock, which the outer loop's caller holds while it waits for that worker) or the caller's own
        if (chunks <= 1 || workers.length == 0 || isWorker(Thread.currentThread()) || Thread.holdsLock(this)) { body.run(0, n); return; }
        synchronized (this) {
            if (closed) throw new IllegalStateException("CPU workers already closed");
            runJob(n, chunks, grain, body);
        }
    }

    /** Start of chunk c of [0, n) cut into {@code chunks}. */
    private static int bound(int n, int c, int chunks) { return (int) ((long) n * c / chunks); }

    /** The worker threads (for tests). */
    java.util.List<Thread> workerThreads() { return java.util.List.of(workers); }

    private void runJob(int n, int chunks, int grain, RangeBody body) {
        failure.set(null);
        int longest = (n + chunks - 1) / chunks; // chunks differ by at most one index
        int piece = Math.max(Math.max(1, grain), (longest + PIECES_PER_CHUNK - 1) / PIECES_PER_CHUNK);
        AtomicLong[] left = new AtomicLong[chunks];
        long count = 0;
        for (int c = 0; c < chunks; c++) {
            int from = bound(n, c, chunks), to = bound(n, c + 1, chunks);
            left[c] = new AtomicLong(pack(from, to));
            count += (to - from + piece - 1) / piece;
        }
        pieces.addAndGet(count);
        Job j = new Job(body, piece, left, Thread.currentThread());
        job = j;
        pending.set(workers.length);
        epoch.incrementAndGet();
        for (Thread w : workers) LockSupport.unpark(w);
        runChunk(j, 0);
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (pending.get() != 0) {
            if (!idle(spinUntil)) LockSupport.parkNanos(this, 1_000_000);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new RuntimeException("interrupted while waiting for CPU workers");
            }
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) throw r;
        if (f instanceof Error e) throw e;
    }

    private static long pack(int front, int back) { return (long) front << 32 | (back & 0xFFFFFFFFL); }
    private static int front(long range) { return (int) (range >>> 32); }
    private static int back(long range) { return (int) range; }

    /** Thread of chunk c: its own chunk piece by piece from the front, then pieces from the back of the others. */
    private void runChunk(Job j, int c) {
        AtomicLong[] left = j.left();
        if (c < left.length) {
            AtomicLong own = left[c];
            for (long r = own.get(); front(r) < back(r); r = own.get()) {
                int from = front(r), to = Math.min(back(r), from + j.piece());
                if (own.compareAndSet(r, pack(to, back(r)))) runPiece(j, from, to);
            }
        }
        while (true) {
            AtomicLong victim = null;
            int most = 0;
            for (AtomicLong other : left) {
                long r = other.get();
                if (back(r) - front(r) > most) { most = back(r) - front(r); victim = other; }
            }
            if (victim == null) return;
            long r = victim.get();
            if (front(r) >= back(r)) continue;
            int to = back(r), from = Math.max(front(r), to - j.piece());
            if (victim.compareAndSet(r, pack(front(r), from))) {
                stolen.incrementAndGet();
                runPiece(j, from, to);
            }
        }
    }

    /** Runs one piece; a failure is kept for the caller and the other pieces still run. */
    private void runPiece(Job j, int from, int to) {
        try {
            j.body().run(from, to);
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
    }

    /**
     * One round of waiting before {@code until}: a few microseconds of pure spinning, then yielding, so that a
     * thread that shares this core (another process, the data loader) runs instead; false once it is time to park.
     */
    private static boolean idle(long until) {
        long left = until - System.nanoTime();
        if (left <= 0) return false;
        if (left > SPIN_NANOS - PURE_SPIN_NANOS) Thread.onSpinWait();
        else Thread.yield();
        return true;
    }

    private boolean isWorker(Thread t) {
        for (Thread w : workers) if (w == t) return true;
        return false;
    }

    /** Worker loop: wait (spin, then park) for the next job, run chunk {@code chunk} of it if it has one, report done. */
    private void work(int chunk) {
        long seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS, e;
            while ((e = epoch.get()) == seen) {
                if (closed) return;
                if (!idle(spinUntil)) LockSupport.park(this);
            }
            seen = e;
            Job j = job;
            runChunk(j, chunk);
            if (pending.decrementAndGet() == 0) LockSupport.unpark(j.caller());
        }
    }

    @Override public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
        for (Thread w : workers) {
            try { w.join(TimeUnit.SECONDS.toMillis(5)); } catch (InterruptedException e) { Thread.currentThread().interrupt(); return; }
        }
    }
}
