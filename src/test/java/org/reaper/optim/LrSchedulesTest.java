package org.reaper.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reaper.ReaperException;

class LrSchedulesTest {
    @Test
    void constant() {
        LrSchedule s = LrSchedules.parse("constant", 0.01f, 100);
        assertEquals(0.01f, s.lr(0));
        assertEquals(0.01f, s.lr(99.5));
    }

    @Test
    void multiStepIsTheStaircase() {
        LrSchedule s = new MultiStepLr(0.1f, new int[] {60, 30}, 0.1f);
        assertEquals(0.1f, s.lr(0), 1e-9);
        assertEquals(0.1f, s.lr(29.99), 1e-9);
        assertEquals(0.01f, s.lr(30), 1e-9);
        assertEquals(0.001f, s.lr(60), 1e-9);
        assertEquals(0.001f, s.lr(99), 1e-9);
        LrSchedule d = LrSchedules.parse("step", 0.1f, 100);
        assertEquals(0.1f, d.lr(49.9), 1e-9);
        assertEquals(0.01f, d.lr(50), 1e-9);
        assertEquals(0.001f, d.lr(75), 1e-9);
    }

    @Test
    void cosineAnnealsToMin() {
        LrSchedule s = new CosineLr(0.1f, 100, 0.001f);
        assertEquals(0.1f, s.lr(0), 1e-7);
        assertEquals(0.0505f, s.lr(50), 1e-7);
        assertEquals(0.001f + 0.099f * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.lr(25), 1e-7);
        assertEquals(0.001f, s.lr(100), 1e-7);
        assertEquals(0.001f, s.lr(120), 1e-7);
        assertEquals(0f, LrSchedules.parse("cosine", 0.1f, 10).lr(10), 1e-9);
    }

    @Test
    void cyclicIsThePapersTriangle() {
        LrSchedule s = LrSchedules.parse("cyclic", 0.001f, 100);
        assertEquals(0.001f, s.lr(0), 1e-9);
        assertEquals(0.0035f, s.lr(12.5), 1e-8);
        assertEquals(0.006f, s.lr(25), 1e-8);
        assertEquals(0.0035f, s.lr(37.5), 1e-8);
        assertEquals(0.001f, s.lr(50), 1e-8);
        assertEquals(0.006f, s.lr(75), 1e-8);
        assertEquals(0.003f, new CyclicLr(0.001f, 0.005f, 50).lr(60), 1e-8);
    }

    @Test
    void warmupRampsLinearlyThenHandsOver() {
        LrSchedule s = LrSchedules.parse("step", 0.1f, 100, new int[] {50}, 0.1f, 5);
        assertInstanceOf(WarmupLr.class, s);
        assertEquals(0.01f, s.lr(0), 1e-8);
        assertEquals(0.1f * (0.1 + 0.9 * 2.5 / 5), s.lr(2.5), 1e-7);
        assertEquals(0.1f, s.lr(5), 1e-8);
        assertEquals(0.01f, s.lr(50), 1e-8);
        assertTrue(s.describe().startsWith("warmup("));
    }

    @Test
    void unknownNameListsTheValidOnes() {
        ReaperException e = assertThrows(ReaperException.class, () -> LrSchedules.parse("linear", 0.1f, 10));
        assertTrue(e.getMessage().contains("constant, step, cosine, cyclic"), e.getMessage());
    }
}
