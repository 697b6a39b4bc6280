package org.reaper.backend.cpu;

import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;
import org.reaper.rng.Philox;

/**
 * Philox-4x32-10 for LANES consecutive blocks at once with the Vector API (64-bit lanes holding
 * 32-bit words, so the 32x32->64 products are plain lane multiplies). Bit-identical to
 * {@link Philox#block} with counter = block number, c2 = c3 = 0, key = seed.
 */
final class PhiloxLanes {
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    static final int LANES = L.length();
    private static final long M0 = 0xD2511F53L, M1 = 0xCD9E8D57L, W0 = 0x9E3779B9L, W1 = 0xBB67AE85L, LOW = 0xFFFFFFFFL;
    private static final long[] IOTA = new long[LANES];
    static { for (int i = 0; i < LANES; i++) IOTA[i] = i; }

    private PhiloxLanes() {}

    /** Words of blocks first .. first + LANES - 1: word k of block first + j goes to out[k * LANES + j] (as an unsigned 32-bit value). */
    static void blocks(long seed, long first, long[] out) {
        LongVector counter = LongVector.fromArray(L, IOTA, 0).add(first);
        LongVector c0 = counter.and(LOW), c1 = counter.lanewise(LSHR, 32);
        LongVector c2 = LongVector.zero(L), c3 = LongVector.zero(L);
        long k0 = seed & LOW, k1 = (seed >>> 32) & LOW;
        for (int r = 0; r < 10; r++) {
            LongVector p0 = c0.mul(M0), p1 = c2.mul(M1);
            LongVector n0 = p1.lanewise(LSHR, 32).lanewise(XOR, c1).lanewise(XOR, k0);
            LongVector n2 = p0.lanewise(LSHR, 32).lanewise(XOR, c3).lanewise(XOR, k1);
            c1 = p1.and(LOW);
            c3 = p0.and(LOW);
            c0 = n0;
            c2 = n2;
            k0 = (k0 + W0) & LOW;
            k1 = (k1 + W1) & LOW;
        }
        c0.intoArray(out, 0);
        c1.intoArray(out, LANES);
        c2.intoArray(out, 2 * LANES);
        c3.intoArray(out, 3 * LANES);
    }
}
