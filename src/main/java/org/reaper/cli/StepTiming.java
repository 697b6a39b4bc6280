package org.reaper.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * How {@code reaper bench} times a step: warm it up until the JIT has compiled its kernels and gone
 * quiet, then time a fixed number of calls, counting what they allocate on the Java heap.
 */
final class StepTiming {
    /** A warm step allocates less than this on the Java heap (MB); cold kernels box their vectors and allocate far more. */
    private static final double WARM_MB = 2;
    /** Warm-up stops here even if steps still allocate (the timed steps then show it in MB per step). */
    private static final double MAX_WARMUP_SECONDS = 120;

    /** Timed milliseconds (sorted), the very first call's, how many calls warmed up, heap MB per timed call. */
    record Result(double[] sortedMs, double firstStepMs, int warmedSteps, double allocMbPerStep) {
        double percentile(double p) { return StepTiming.percentile(sortedMs, p); }
        double median() { return percentile(50); }

        /**
         * Timed steps that allocate this much: the JIT has (re)compiled a vector kernel without its intrinsics, and it
         * boxes every vector (seen once in a dozen resnet20 runs: 5.8 GB a step, 3x slower). Nothing of ours allocates
         * that much per step, so this JVM's timings are not the build's.
         */
        boolean looksBoxed() { return allocMbPerStep > BOXED_MB; }
    }

    /** MB per timed step above which {@link Result#looksBoxed} (a warm step allocates under 2 MB; a boxed one gigabytes). */
    static final double BOXED_MB = 64;

    private StepTiming() {}

    /** Warm-up also lasts until the JIT has compiled nothing for this long (on 2 cores its compiler threads take one from the step). */
    static final double JIT_QUIET_SECONDS = 1.0;

    /** As {@link #measure(Runnable, int, double, double, LongSupplier, int, IntConsumer)} without waiting for the JIT. */
    static Result measure(Runnable step, int warmup, double warmupSeconds, int steps, IntConsumer beforeStep) {
        return measure(step, warmup, warmupSeconds, 0, () -> 0, steps, beforeStep);
    }

    /**
     * Warm-up: at least {@code warmup} calls and {@code warmupSeconds}, and then until a call allocates under
     * 2 MB and {@code compileMillis} (the JIT's total compilation time) has not moved for {@code jitQuietSeconds}
     * (at most 120 s in all); then {@code steps} timed calls, {@code beforeStep} told the index of each first.
     */
    static Result measure(Runnable step, int warmup, double warmupSeconds, double jitQuietSeconds, LongSupplier compileMillis,
                          int steps, IntConsumer beforeStep) {
        long warmStart = System.nanoTime();
        double lastStepMb = Double.MAX_VALUE, elapsed = 0, firstStepMs = 0, lastCompileAt = Double.NEGATIVE_INFINITY;
        long compiled = compileMillis.getAsLong();
        int warmed = 0;
        for (int i = 0; i < warmup || elapsed < warmupSeconds
                || ((lastStepMb > WARM_MB || elapsed - lastCompileAt < jitQuietSeconds) && elapsed < MAX_WARMUP_SECONDS); i++) {
            long t0 = System.nanoTime(), a0 = allocatedBytes();
            step.run();
            if (i == 0) firstStepMs = (System.nanoTime() - t0) / 1e6;
            lastStepMb = (allocatedBytes() - a0) / 1e6;
            elapsed = (System.nanoTime() - warmStart) / 1e9;
            long c = compileMillis.getAsLong();
            if (c != compiled) { compiled = c; lastCompileAt = elapsed; }
            warmed++;
        }
        double[] ms = new double[steps];
        long allocatedBefore = allocatedBytes();
        for (int i = 0; i < steps; i++) {
            beforeStep.accept(i);
            long t0 = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double allocMb = (allocatedBytes() - allocatedBefore) / 1e6 / steps;
        return new Result(sorted(ms), firstStepMs, warmed, allocMb);
    }

    /** The JIT's total compilation time so far in ms (0 where the JVM does not say). */
    static long jitCompileMillis() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    static double[] sorted(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return s;
    }

    /** The p-th percentile (0..100) of sorted values, interpolated linearly between neighbours. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 1) return sorted[0];
        double pos = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    static double round(double v) { return Math.round(v * 100) / 100.0; }

    /**
     * Bytes allocated so far by every live thread of the JVM (HotSpot's per-thread counters). A step that
     * allocates tens of MB is a kernel whose vectors C2 did not keep in registers, or a buffer outside the pool.
     */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean hs) || !hs.isThreadAllocatedMemorySupported()) return 0;
        long sum = 0;
        for (long b : hs.getThreadAllocatedBytes(mx.getAllThreadIds())) if (b > 0) sum += b;
        return sum;
    }

    /** VmHWM from /proc/self/status (peak resident set), in MB; -1 where that file does not exist. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return -1;
    }
}
