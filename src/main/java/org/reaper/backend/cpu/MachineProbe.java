package org.reaper.backend.cpu;

import java.util.Locale;

/**
 * What this machine gives at this minute (not a test): the FMA ceiling and the memory copy bandwidth, each with 1 and
 * with {@code threads} threads running at once. On a shared virtual machine the second can halve within minutes
 * while the first holds (a neighbour's memory traffic), and a training step slows with it; benchmarks print this
 * line before and after their runs so a reader can tell a slow minute from a slow build.
 * Run: {@code java --add-modules jdk.incubator.vector -cp target/reaper.jar org.reaper.backend.cpu.MachineProbe [threads]}.
 */
public final class MachineProbe {
    private static final int COPY_FLOATS = 1 << 24; // 64 MB per thread: far past any cache
    private static volatile float sink;

    private MachineProbe() {}

    public static void main(String[] args) throws InterruptedException {
        int threads = 2;
        if (args.length > 0) {
            try {
                threads = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                threads = 0;
            }
            if (threads < 1) {
                System.err.println("MachineProbe: threads must be a whole number >= 1, got '" + args[0] + "'");
                System.exit(1);
            }
        }
        System.out.println(describe(threads));
    }

    /** One line: FMA GFLOP/s and copy GB/s (read + write) with 1 thread and with {@code threads} at once. */
    public static String describe(int threads) throws InterruptedException {
        double fma1 = fmaGflops(1), fmaN = fmaGflops(threads);
        float[][] src = new float[threads][COPY_FLOATS], dst = new float[threads][COPY_FLOATS];
        double copyBytes = 2.0 * 4 * COPY_FLOATS * COPIES;
        double copy1 = best(1, new Copies(src, dst)), copyN = best(threads, new Copies(src, dst)); // the first round also touches the pages
        return String.format(Locale.ROOT, "machine now: FMA %.0f GFLOP/s on 1 thread, %.0f on %d together; memory copy %.1f GB/s on 1 thread, %.1f on %d together",
                fma1, fmaN, threads, copyBytes / copy1 / 1e9, threads * copyBytes / copyN / 1e9, threads);
    }

    /**
     * GFLOP/s of {@code threads} threads together, each running 12 independent 16-lane FMA chains on registers only
     * ({@link PeakFma}): the issue ceiling the kernels are measured against. Best of three rounds.
     */
    static double fmaGflops(int threads) throws InterruptedException {
        float[] in = new float[2 * PeakFma.S.length()];
        for (int i = 0; i < in.length; i++) in[i] = 1e-7f * (i + 1);
        for (int i = 0; i < 2000; i++) sink += PeakFma.run(2_000, in); // short calls until C2 has compiled the loop (interpreted vectors crawl)
        return threads * FMA_ITERS * 12.0 * 2 * PeakFma.S.length() / best(threads, () -> sink += PeakFma.run(FMA_ITERS, in)) / 1e9;
    }

    private static final long FMA_ITERS = 40_000_000L;
    private static final int COPIES = 4;

    /** Each thread that runs it copies its own 64 MB array COPIES times. */
    private static final class Copies implements Runnable {
        private final float[][] src, dst;
        private int taken;

        Copies(float[][] src, float[][] dst) { this.src = src; this.dst = dst; }

        @Override public void run() {
            int k;
            synchronized (this) { k = taken++ % src.length; }
            for (int r = 0; r < COPIES; r++) System.arraycopy(src[k], 0, dst[k], 0, COPY_FLOATS);
        }
    }

    /** The fastest of three rounds of {@link #together}. */
    private static double best(int n, Runnable body) throws InterruptedException {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 3; r++) best = Math.min(best, together(n, body));
        return best;
    }

    /** Seconds for {@code n} threads each running body once, started together. */
    private static double together(int n, Runnable body) throws InterruptedException {
        Thread[] ts = new Thread[n];
        for (int t = 0; t < n; t++) ts[t] = new Thread(body);
        long t0 = System.nanoTime();
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        return (System.nanoTime() - t0) / 1e9;
    }
}
