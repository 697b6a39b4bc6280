package org.reaper.backend.cpu;

/**
 * Integer order keys for "first maximum, NaN wins" selections (the generic max-pool window's argmax): comparing keys
 * as ints orders them like the floats, with -0 equal to +0 and every NaN equal to each other and above
 * +infinity. Integer compares and selects compile to conditional moves, where float compares on random
 * data become mispredicted branches.
 */
final class MaxKey {
    static final int NEGATIVE_INFINITY = of(Float.NEGATIVE_INFINITY);

    private MaxKey() {}

    static int of(float v) {
        int b = Float.floatToIntBits(v + 0f); // + 0 turns -0 into +0; NaNs become the one canonical NaN
        return b ^ ((b >> 31) & 0x7fffffff);  // negative floats: flip the magnitude so larger means larger
    }

    /** 1 if key a > key b, else 0. */
    static int greater(int a, int b) { return (int) (((long) b - a) >>> 63); }

    /** All ones if k == j, else 0 (for k, j >= 0). */
    static int ifEqual(int k, int j) { return ((k ^ j) - 1) >> 31; }
}
