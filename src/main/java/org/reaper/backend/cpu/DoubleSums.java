package org.reaper.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision sums over float ranges with the Vector API: floats are widened lane for lane
 * and accumulated in the lanes of the preferred double species, which are then added in a fixed order, so the result depends only on the data and the range.
 * Each method adds its sums to {@code acc} (lanes, then a scalar tail slot at index LANES), so callers
 * can continue one accumulation over several ranges. The widening is written out in each method: a helper
 * that takes or returns a vector boxes it whenever C2 does not inline it (seen here: BN's backward sums
 * allocating 1.5 GB and running 8x slower after a recompilation).
 */
final class DoubleSums {
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /**
     * Floats are loaded at the preferred (full) width and widened in two halves. (A float species half as wide,
     * as this class once used, put two vector sizes through the Vector API's shared methods; on JDK 17 that
     * loses C2 the exact vector types there, and the convolution kernels' vectors were then boxed: resnet20's
     * backward-filter convolutions ran 1.4-1.8x slower inside a training step than alone.)
     */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int LANES = D.length();

    private DoubleSums() {}

    /** An accumulator for {@code count} separate sums: count * (LANES + 1) doubles. */
    static double[] newAccumulator(int count) { return new double[accumulatorSize(count)]; }

    /** Doubles an accumulator for {@code count} sums uses (from its start; a longer array works too). */
    static int accumulatorSize(int count) { return count * (LANES + 1); }

    /** The total of sum {@code which} in acc: lanes in index order, then the tail. */
    static double total(double[] acc, int which) {
        int base = which * (LANES + 1);
        double s = 0;
        for (int l = 0; l <= LANES; l++) s += acc[base + l];
        return s;
    }

    /** acc sum 0 += sum of (a[i] - c); acc sum 1 += sum of (a[i] - c)^2 (one pass for a mean and a variance about c). */
    static void addShiftedSumAndSquares(float[] a, int from, int to, double c, double[] acc) {
        int o = LANES + 1;
        DoubleVector s1 = DoubleVector.fromArray(D, acc, 0), s2 = DoubleVector.fromArray(D, acc, o);
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += 2 * LANES) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            DoubleVector d = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).sub(c);
            s1 = s1.add(d);
            s2 = d.fma(d, s2);
            d = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1)).sub(c);
            s1 = s1.add(d);
            s2 = d.fma(d, s2);
        }
        s1.intoArray(acc, 0);
        s2.intoArray(acc, o);
        double t1 = acc[LANES], t2 = acc[o + LANES];
        for (; i < to; i++) { double d = a[i] - c; t1 += d; t2 += d * d; }
        acc[LANES] = t1;
        acc[o + LANES] = t2;
    }

    /**
     * As {@link #addSumAndDotCentered} with b[i] taken as 0 where y[i] > 0 does not hold (the gradient through a ReLU, y
     * its output). Its loop repeats that method's with one blend added: one loop with an optional mask would merge two
     * vectors at a branch, the kind of thing that leaves JDK 17's C2 boxing them (see the class comment).
     */
    static void addMaskedSumAndDotCentered(float[] a, float[] b, float[] y, int from, int to, double c, double[] acc) {
        int o = LANES + 1;
        DoubleVector sb = DoubleVector.fromArray(D, acc, 0), sd = DoubleVector.fromArray(D, acc, o);
        FloatVector zero = FloatVector.zero(F);
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += 2 * LANES) {
            FloatVector b2 = zero.blend(FloatVector.fromArray(F, b, i), FloatVector.fromArray(F, y, i).compare(VectorOperators.GT, 0f));
            FloatVector a2 = FloatVector.fromArray(F, a, i);
            DoubleVector bv = ((DoubleVector) b2.convertShape(VectorOperators.F2D, D, 0)), av = ((DoubleVector) a2.convertShape(VectorOperators.F2D, D, 0)).sub(c);
            sb = sb.add(bv);
            sd = bv.fma(av, sd);
            bv = ((DoubleVector) b2.convertShape(VectorOperators.F2D, D, 1));
            av = ((DoubleVector) a2.convertShape(VectorOperators.F2D, D, 1)).sub(c);
            sb = sb.add(bv);
            sd = bv.fma(av, sd);
        }
        sb.intoArray(acc, 0);
        sd.intoArray(acc, o);
        double tb = acc[LANES], td = acc[o + LANES];
        for (; i < to; i++) {
            float bi = y[i] > 0f ? b[i] : 0f;
            tb += bi;
            td += bi * (a[i] - c);
        }
        acc[LANES] = tb;
        acc[o + LANES] = td;
    }

    /** acc sum 0 += sum of b[i]; acc sum 1 += sum of b[i] * (a[i] - c). */
    static void addSumAndDotCentered(float[] a, float[] b, int from, int to, double c, double[] acc) {
        int o = LANES + 1;
        DoubleVector sb = DoubleVector.fromArray(D, acc, 0), sd = DoubleVector.fromArray(D, acc, o);
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += 2 * LANES) {
            FloatVector b2 = FloatVector.fromArray(F, b, i), a2 = FloatVector.fromArray(F, a, i);
            DoubleVector bv = ((DoubleVector) b2.convertShape(VectorOperators.F2D, D, 0)), av = ((DoubleVector) a2.convertShape(VectorOperators.F2D, D, 0)).sub(c);
            sb = sb.add(bv);
            sd = bv.fma(av, sd);
            bv = ((DoubleVector) b2.convertShape(VectorOperators.F2D, D, 1));
            av = ((DoubleVector) a2.convertShape(VectorOperators.F2D, D, 1)).sub(c);
            sb = sb.add(bv);
            sd = bv.fma(av, sd);
        }
        sb.intoArray(acc, 0);
        sd.intoArray(acc, o);
        double tb = acc[LANES], td = acc[o + LANES];
        for (; i < to; i++) { tb += b[i]; td += b[i] * (a[i] - c); }
        acc[LANES] = tb;
        acc[o + LANES] = td;
    }
}
