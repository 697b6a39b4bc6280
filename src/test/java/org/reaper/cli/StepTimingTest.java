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
    void countsWhatATimedStepAllocatesOnTheHeap() {
        Object[] keep = new Object[1];
        StepTiming.Result r = StepTiming.measure(() -> keep[0] = new byte[1 << 20], 1, 0, 5, i -> {});
        assertTrue(r.allocMbPerStep() > 0.9 && r.allocMbPerStep() < 3, "about 1 MB per step, got " + r.allocMbPerStep());
        assertNotNull(keep[0]);
    }
}
