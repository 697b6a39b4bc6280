package org.reaper.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max-pooling backward of {@link Pool2x2} for one pair of input rows, L inputs of each row (L = the vector
 * length, L/2 windows) at a time. The two columns of a window sit in one 64-bit lane, so a window's other column
 * is a 32-bit rotation of that lane, and dy is spread to both columns by widening 32-bit lanes to 64. (Shuffles
 * were slower on JDK 17: deinterleaving with two-vector shuffles made it 1.7x slower than the scalar loop; this
 * is 1.5x faster. The forward pass stays scalar: packing the window maxima made it slower.) The selections are the scalar loops' own: the order of
 * {@link MaxKey} evaluated with float compares, first maximum in row-major order, the first NaN winning.
 * The caller finishes the columns past the last whole vector.
 */
final class Pool2x2Vector {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> PAIRS = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    /** Inputs per row per vector; windows per vector is half of it. */
    static final int L = F.length();
    /** Lanes holding a window's left (even) column. */
    private static final VectorMask<Float> LEFT = VectorMask.fromLong(F, 0x5555_5555_5555_5555L);

    private Pool2x2Vector() {}

    /** True where the loops can run: vectors of at least 8 floats. */
    static boolean available() { return L >= 8 && PAIRS.length() * 2 == L; }

    /** dx of one row pair: each dy to the first maximum of its window (the first NaN), zero to the other three. */
    static int maxBackwardRow(float[] xa, float[] dya, int out, float[] dxa, int top, int bottom, int ow) {
        int c = 0, step = L / 2;
        FloatVector zero = FloatVector.zero(F);
        for (int end = ow - ow % step; c < end; c += step) {
            FloatVector t = FloatVector.fromArray(F, xa, top + 2 * c), b = FloatVector.fromArray(F, xa, bottom + 2 * c);
            VectorMask<Float> fromBottom = above(b, t);   // in this column the bottom comes first
            FloatVector col = t.max(b);
            FloatVector other = partner(col);
            VectorMask<Float> otherFromBottom = above(partner(b), partner(t));
            // equal columns: the left one wins unless its pick is the bottom and the right one's the top (t1 precedes b0)
            VectorMask<Float> tieWin = fromBottom.and(otherFromBottom.not()).not().and(LEFT)
                    .or(otherFromBottom.andNot(fromBottom).andNot(LEFT));
            VectorMask<Float> wins = above(col, other).or(above(other, col).not().and(tieWin));
            FloatVector g = spread(dya, out + c);
            zero.blend(g, wins.andNot(fromBottom)).intoArray(dxa, top + 2 * c);
            zero.blend(g, wins.and(fromBottom)).intoArray(dxa, bottom + 2 * c);
        }
        return c;
    }

    /** Each lane gets the value of the other column of its window. */
    private static FloatVector partner(FloatVector v) {
        return v.reinterpretAsLongs().lanewise(VectorOperators.ROL, 32).reinterpretAsFloats();
    }

    /** 0 + dy[at .. at + L/2), each value twice: lanes 2i and 2i + 1 hold dy[at + i]. */
    private static FloatVector spread(float[] dya, int at) {
        LongVector g = FloatVector.fromArray(HALF, dya, at).add(0f).reinterpretAsInts()
                .convertShape(VectorOperators.I2L, PAIRS, 0).reinterpretAsLongs();
        return g.and(0xffff_ffffL).or(g.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats();
    }
    /**
     * MaxKey.greater(key(v), key(m)) on every lane, on floats: v above m, or v NaN where m is not
     * (-0 and +0 compare equal as floats, as their keys do).
     */
    private static VectorMask<Float> above(FloatVector v, FloatVector m) {
        return v.compare(VectorOperators.GT, m).or(v.compare(VectorOperators.NE, v).andNot(m.compare(VectorOperators.NE, m)));
    }
}
