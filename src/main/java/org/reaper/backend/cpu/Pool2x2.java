package org.reaper.backend.cpu;

import org.reaper.backend.PoolGeometry;

/**
 * Plane kernels for the common 2x2 / stride 2 / no-padding pooling window. The windows do not
 * overlap, so backward writes every dx element exactly once (no zero fill, no scatter); rows and
 * columns that floor mode leaves outside every window get zero. Arithmetic matches the generic loops
 * of {@link CpuPool} bit for bit.
 */
final class Pool2x2 {
    private Pool2x2() {}

    static boolean applies(PoolGeometry g) {
        return g.kernelH() == 2 && g.kernelW() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0;
    }

    static void maxForward(float[] xa, int xo, float[] ya, int yo, int w, int oh, int ow) {
        for (int r = 0; r < oh; r++) {
            int top = xo + 2 * r * w, bottom = top + w, out = yo + r * ow;
            for (int c = 0; c < ow; c++)
                ya[out + c] = Math.max(Math.max(xa[top + 2 * c], xa[top + 2 * c + 1]),
                                   Math.max(xa[bottom + 2 * c], xa[bottom + 2 * c + 1]));
        }
    }

    /**
     * maxForward plus the window position (0..3, row-major) of each first maximum: the first cell equal to the
     * maximum (-0 equals +0), or the first NaN when the maximum is NaN. Comparing against the maximum costs
     * less than ranking four order keys.
     */
    static void maxForwardArgmax(float[] xa, int xo, float[] ya, float[] aa, int yo, int w, int oh, int ow) {
        for (int r = 0; r < oh; r++) {
            int top = xo + 2 * r * w, bottom = top + w, out = yo + r * ow;
            for (int c = 0; c < ow; c++) {
                float x0 = xa[top + 2 * c], x1 = xa[top + 2 * c + 1], x2 = xa[bottom + 2 * c], x3 = xa[bottom + 2 * c + 1];
                float m = Math.max(Math.max(x0, x1), Math.max(x2, x3));
                int at = isMax(x2, m) ? 2 : 3;
                at = isMax(x1, m) ? 1 : at;
                at = isMax(x0, m) ? 0 : at;
                ya[out + c] = m;
                aa[out + c] = at;
            }
        }
    }

    /** v is the window maximum m: equal to it, or a NaN (then m is NaN too). */
    private static boolean isMax(float v, float m) { return v == m | Float.isNaN(v); }

    /** dx of one plane: dy goes to the window position the forward recorded, zero elsewhere. */
    static void maxBackward(float[] aa, float[] dya, int yo, float[] dxa, int xo, int h, int w, int oh, int ow) {
        for (int r = 0; r < oh; r++) {
            int top = xo + 2 * r * w, bottom = top + w, out = yo + r * ow;
            for (int c = 0; c < ow; c++) {
                int t = top + 2 * c, b = bottom + 2 * c, at = (int) aa[out + c];
                int gv = Float.floatToRawIntBits(0f + dya[out + c]); // 0 + dy as in zero-fill-and-accumulate
                dxa[t] = Float.intBitsToFloat(gv & MaxKey.ifEqual(at, 0));
                dxa[t + 1] = Float.intBitsToFloat(gv & MaxKey.ifEqual(at, 1));
                dxa[b] = Float.intBitsToFloat(gv & MaxKey.ifEqual(at, 2));
                dxa[b + 1] = Float.intBitsToFloat(gv & MaxKey.ifEqual(at, 3));
            }
            if ((w & 1) != 0) { dxa[top + w - 1] = 0f; dxa[bottom + w - 1] = 0f; }
        }
        java.util.Arrays.fill(dxa, xo + 2 * oh * w, xo + h * w, 0f);
    }

    /** Same sums as the generic loop: per window row in double, rows added in order, times 1/4 in double. */
    static void avgForward(float[] xa, int xo, float[] ya, int yo, int w, int oh, int ow) {
        for (int r = 0; r < oh; r++) {
            int top = xo + 2 * r * w, bottom = top + w, out = yo + r * ow;
            for (int c = 0; c < ow; c++) {
                double s = (0.0 + ((double) xa[top + 2 * c] + xa[top + 2 * c + 1])) + ((double) xa[bottom + 2 * c] + xa[bottom + 2 * c + 1]);
                ya[out + c] = (float) (s * 0.25);
            }
        }
    }

    static void avgBackward(float[] dya, int yo, float[] dxa, int xo, int h, int w, int oh, int ow, float inv) {
        for (int r = 0; r < oh; r++) {
            int top = xo + 2 * r * w, bottom = top + w, out = yo + r * ow;
            for (int c = 0; c < ow; c++) {
                float v = 0f + dya[out + c] * inv; // 0 + v as in the zero-fill-and-accumulate loop (turns -0 into +0)
                dxa[top + 2 * c] = v;
                dxa[top + 2 * c + 1] = v;
                dxa[bottom + 2 * c] = v;
                dxa[bottom + 2 * c + 1] = v;
            }
            if ((w & 1) != 0) { dxa[top + w - 1] = 0f; dxa[bottom + w - 1] = 0f; }
        }
        java.util.Arrays.fill(dxa, xo + 2 * oh * w, xo + h * w, 0f);
    }
}
