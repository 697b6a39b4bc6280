package org.reaper.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The FMA-issue ceiling probe of {@link GemmBench}: 12 independent accumulator chains, registers only (in must hold two vectors). */
final class PeakFma {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private PeakFma() {}

    static float run(long iters, float[] in) {
        FloatVector a = FloatVector.fromArray(S, in, 0), b = FloatVector.fromArray(S, in, S.length());
        FloatVector c0 = a, c1 = b, c2 = a, c3 = b, c4 = a, c5 = b, c6 = a, c7 = b, c8 = a, c9 = b, c10 = a, c11 = b;
        for (long i = 0; i < iters; i++) {
            c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3); c4 = a.fma(b, c4); c5 = a.fma(b, c5);
            c6 = a.fma(b, c6); c7 = a.fma(b, c7); c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).reduceLanes(VectorOperators.ADD);
    }
}
