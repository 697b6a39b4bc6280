package org.reaper.backend.cpu;

/** Plain-Java 4 x 8 micro-kernel: the fallback when the Vector API module is absent. */
final class GemmScalarKernel extends GemmMicroKernel {
    private static final int MR = 4, NR = 8;

    GemmScalarKernel() { super(MR, NR); }

    @Override String describe() { return "scalar " + MR + "x" + NR; }

    @Override void full(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, float beta) {
        float[] acc = new float[MR * NR];
        for (int p = 0; p < kc; p++) {
            int a = ao + p * MR, b = bo + p * NR;
            for (int r = 0; r < MR; r++) {
                float av = ap[a + r];
                int t = r * NR;
                for (int j = 0; j < NR; j++) acc[t + j] += av * bp[b + j];
            }
        }
        for (int r = 0; r < MR; r++) {
            int o = co + r * ldc, t = r * NR;
            for (int j = 0; j < NR; j++) {
                float v = acc[t + j];
                c[o + j] = beta == 0f ? v : beta == 1f ? c[o + j] + v : beta * c[o + j] + v;
            }
        }
    }
}
