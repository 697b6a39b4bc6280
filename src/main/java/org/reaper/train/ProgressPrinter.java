package org.reaper.train;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Progress on the console: on a terminal a bar redrawn in place with '\r' during an epoch, then one line
 * per epoch; when output is redirected only the per-epoch lines (no control characters in log files).
 */
public final class ProgressPrinter implements TrainListener {
    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private long lastDraw;
    private boolean barShown;

    public ProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A printer for System.out that draws a bar only when a console is attached. */
    public static ProgressPrinter forConsole(PrintWriter out) { return new ProgressPrinter(out, System.console() != null); }

    @Override public void onRunStart(TrainContext c) {
        RunConfig cfg = c.config();
        out.printf(Locale.ROOT, "%s %s on %s: %d epochs x %d steps (batch %d), %s%n", c.resumed() ? "resuming" : "training",
                cfg.model, c.trainSet().description(), c.totalEpochs(), c.stepsPerEpoch(), cfg.batch,
                c.resumed() ? "from epoch " + (c.epoch() + 1) + (c.stepInEpoch() > 0 ? " step " + (c.stepInEpoch() + 1) : "") : "seed " + cfg.seed);
        out.flush();
    }

    @Override public void afterOptimizerStep(TrainContext c) {
        if (!terminal) return;
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && c.stepInEpoch() < c.stepsPerEpoch()) return;
        lastDraw = now;
        int filled = (int) ((long) BAR * c.stepInEpoch() / Math.max(1, c.stepsPerEpoch()));
        out.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %.4f", c.epoch() + 1, c.totalEpochs(),
                "=".repeat(filled), " ".repeat(BAR - filled), c.stepInEpoch(), c.stepsPerEpoch(), c.lastLoss());
        out.flush();
        barShown = true;
    }

    @Override public void onEpochEnd(TrainContext c, EpochMetrics m) {
        if (barShown) {
            out.print("\r" + " ".repeat(BAR + 60) + "\r");
            barShown = false;
        }
        out.println(line(c.totalEpochs(), m));
        out.flush();
    }

    @Override public void onStopInsideEpoch(TrainContext c) {
        if (barShown) out.print("\r" + " ".repeat(BAR + 60) + "\r");
        barShown = false;
        out.printf(Locale.ROOT, "stopped before step %d/%d of epoch %d/%d; checkpoint written%n", c.stepInEpoch() + 1, c.stepsPerEpoch(),
                c.epoch() + 1, c.totalEpochs());
        out.flush();
    }

    @Override public void onRunEnd(TrainContext c, RunSummary s) {
        out.printf(Locale.ROOT, "done: final test accuracy %.2f%%, best %.2f%% (epoch %d), %.1f s%n",
                100 * s.finalTestAccuracy(), 100 * s.bestTestAccuracy(), s.bestTestEpoch(), s.totalSeconds());
        out.flush();
    }

    /** "epoch  3/10 full  lr 0.0100 | train 1.2345 55.20% | test 1.3000 52.10% | 12.3 s 413 img/s (0.02 s waiting for data)" plus scalar extras. */
    static String line(int totalEpochs, EpochMetrics m) {
        int w = String.valueOf(totalEpochs).length();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "epoch %" + w + "d/%d %-6s lr %.5g | train %.4f %6.2f%%",
                m.epoch() + 1, totalEpochs, m.phase(), m.lr(), m.trainLoss(), 100 * m.trainAccuracy()));
        if (!Double.isNaN(m.valAccuracy())) b.append(String.format(Locale.ROOT, " | val %.4f %6.2f%%", m.valLoss(), 100 * m.valAccuracy()));
        b.append(String.format(Locale.ROOT, " | test %.4f %6.2f%% | %.1f s %.0f img/s",
                m.testLoss(), 100 * m.testAccuracy(), m.seconds(), m.imagesPerSecond()));
        if (!Double.isNaN(m.loaderWaitSeconds())) b.append(String.format(Locale.ROOT, " (%.2f s waiting for data)", m.loaderWaitSeconds()));
        for (Map.Entry<String, Object> e : m.extra().entrySet()) {
            Object v = e.getValue();
            if (v instanceof Double d) b.append(String.format(Locale.ROOT, " | %s %.4g", e.getKey(), d));
            else if (v instanceof Number || v instanceof String || v instanceof Boolean) {
                String s = String.valueOf(v);
                if (s.length() <= 40) b.append(" | ").append(e.getKey()).append(' ').append(s);
            }
        }
        return b.toString();
    }
}
