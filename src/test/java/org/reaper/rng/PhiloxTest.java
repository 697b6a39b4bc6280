package org.reaper.rng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Known-answer tests against Random123's published kat_vectors for philox4x32-10. */
class PhiloxTest {
    private static int[] block4(int c0, int c1, int c2, int c3, int k0, int k1) {
        int[] out = new int[4];
        Philox.block4(c0, c1, c2, c3, k0, k1, out);
        return out;
    }

    @Test void random123KnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, block4(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, block4(-1, -1, -1, -1, -1, -1));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                block4(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test void blockUsesTheCounterLowWordFirstAndTheSeedAsKey() {
        int[] out = new int[4];
        Philox.block(0L, 0L, out);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, out);
        long seed = 0x299f31d0_a4093822L, counter = 0x85a308d3_243f6a88L;
        Philox.block(seed, counter, out);
        assertArrayEquals(block4(0x243f6a88, 0x85a308d3, 0, 0, 0xa4093822, 0x299f31d0), out);
    }

    @Test void uniformTakesWordIMod4OfBlockOffsetPlusIDiv4() {
        int[] w = new int[4];
        Philox.block(42, 10 + 2, w);
        assertEquals(Philox.toUniform(w[1]), Philox.uniform(42, 10, 9), 0f);
        assertEquals(0f, Philox.toUniform(0), 0f);
        assertEquals(1f - 1f / (1 << 24), Philox.toUniform(-1), 0f);
    }
}
