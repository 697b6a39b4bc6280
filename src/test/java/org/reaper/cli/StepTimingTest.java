package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepTimingTest {
    @Test
    void percentilesInterpolateBetweenNeighbours() {
        double[] s = {10, 20, 30, 40, 50};
        assertEquals(10, StepTiming.percentile(s, 0), 1e-12);
        assertEquals(30, StepTiming.percentile(s, 50), 1e-12);
        assertEquals(46, StepTiming.percentile(s, 90), 1e-12);
        assertEquals(7, StepTiming.percentile(new double[] {7}, 90), 1e-12);
        assertArrayEquals(new double[] {1, 2, 3}, StepTiming.sorted(new double[] {3, 1, 2}));
    }

    @Test
    void warmsUpAtLeastTheAskedStepsThenTimesEachStepOnce() {
        int[] calls = {0};
        List<Integer> told = new ArrayList<>();
        StepTiming.Result r = StepTiming.measure(() -> calls[0]++, 4, 0, 6, told::add);
        assertEquals(4, r.warmedSteps(), "a step that allocates nothing is warm after the asked 4");
        assertEquals(10, calls[0]);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), told);
        assertEquals(6, r.sortedMs().length);
        for (int i = 1; i < 6; i++) assertTrue(r.sortedMs()[i - 1] <= r.sortedMs()[i], "sorted");
        assertTrue(r.median() >= r.percentile(10) && r.percentile(90) >= r.median());
    }

    @Test
    void warmUpLastsUntilTheJitHasBeenQuietForTheGivenTime() {
        int[] calls = {0};
        // a "JIT" that compiles during the first 3 calls, then never again; each call takes at least 5 ms
        java.util.function.LongSupplier compiled = () -> Math.min(calls[0], 3);
        Runnable step = () -> {
            calls[0]++;
            try { Thread.sleep(5); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        };
        StepTiming.Result r = StepTiming.measure(step, 1, 0, 0.05, compiled, 2, i -> {});
        assertTrue(r.warmedSteps() > 3, "kept warming after the last compile, got " + r.warmedSteps());
        assertTrue(r.warmedSteps() <= 3 + 11, "stopped once 50 ms had passed without one, got " + r.warmedSteps());

        calls[0] = 0;
        StepTiming.Result quiet = StepTiming.measure(step, 2, 0, 0.05, () -> 7, 2, i -> {});
        assertEquals(2, quiet.warmedSteps(), "a JIT that compiles nothing does not extend the warm-up");
    }

    @Test
    void countsWhatATimedStepAllocatesOnTheHeap() {
        Object[] keep = new Object[1];
        StepTiming.Result r = StepTiming.measure(() -> keep[0] = new byte[1 << 20], 1, 0, 5, i -> {});
        assertTrue(r.allocMbPerStep() > 0.9 && r.allocMbPerStep() < 3, "about 1 MB per step, got " + r.allocMbPerStep());
        assertFalse(r.looksBoxed(), "1 MB a step is a warm step");
        assertNotNull(keep[0]);
    }

    @Test
    void stepsThatAllocateLikeBoxedVectorsAreFlagged() {
        Object[] keep = new Object[1];
        boolean[] timed = {false}; // warm-up steps stay light (a heavy one would hold the warm-up for its 120 s)
        StepTiming.Result r = StepTiming.measure(() -> keep[0] = timed[0] ? new byte[100 << 20] : null, 1, 0, 3, i -> timed[0] = true);
        assertTrue(r.looksBoxed(), "100 MB a step, got " + r.allocMbPerStep() + " MB and no flag");
        assertNotNull(keep[0]);
    }
}
