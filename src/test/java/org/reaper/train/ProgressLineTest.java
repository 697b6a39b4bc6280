package org.reaper.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-epoch progress line: the loader wait when measured, nothing about it when not. */
class ProgressLineTest {
    private static final EvalResult TEST = new EvalResult(1.25, 0.5, 10, 0.9, null);

    @Test void showsTheTimeTheStepsWaitedForData() {
        EpochMetrics measured = new EpochMetrics(2, "full", 0.1, 1.5, 0.4, EvalResult.NONE, TEST, 12.3, 413, 0.257);
        String line = ProgressPrinter.line(10, measured);
        assertTrue(line.contains("| 12.3 s 413 img/s (0.26 s waiting for data)"), line);
        EpochMetrics unmeasured = new EpochMetrics(2, "full", 0.1, 1.5, 0.4, EvalResult.NONE, TEST, 12.3, 413);
        assertFalse(ProgressPrinter.line(10, unmeasured).contains("waiting"), ProgressPrinter.line(10, unmeasured));
    }
}
