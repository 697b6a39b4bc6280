package org.reaper.cli;

import org.reaper.ReaperException;
import org.reaper.backend.cuda.CudaProfiler;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;

/**
 * {@code --profile-steps A:B}: training steps A (inclusive) to B (exclusive), counted from 0 in this
 * process, are bracketed by cuProfilerStart / cuProfilerStop, so that
 * {@code nsys profile --capture-range=cudaProfilerApi} and {@code ncu --profile-from-start off}
 * capture just that window. On the CPU it does nothing.
 */
final class ProfileSteps {
    private final int from, to;
    private boolean running;

    private ProfileSteps(int from, int to) { this.from = from; this.to = to; }

    static ProfileSteps parse(String spec) {
        if (spec == null) return null;
        String[] p = spec.split(":");
        try {
            if (p.length == 2) {
                int a = Integer.parseInt(p[0].trim()), b = Integer.parseInt(p[1].trim());
                if (a >= 0 && b > a) return new ProfileSteps(a, b);
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new ReaperException("--profile-steps " + spec + ": expected A:B with 0 <= A < B, e.g. --profile-steps 10:20");
    }

    /** Call before step {@code i} (0-based) runs. */
    void beforeStep(int i) {
        if (i == from && !running) running = CudaProfiler.start();
        if (i == to) finish();
    }

    /** Closes the window if it is still open (call after the last step). */
    void finish() {
        if (running) CudaProfiler.stop();
        running = false;
    }

    /** The same window as a trainer listener (steps counted from this session's first step). */
    TrainListener listener() {
        return new TrainListener() {
            private int steps;
            @Override public void onRunStart(TrainContext c) { beforeStep(0); }
            @Override public void afterOptimizerStep(TrainContext c) { beforeStep(++steps); }
            @Override public void onRunEnd(TrainContext c, org.reaper.train.RunSummary s) { finish(); }
        };
    }
}
