package org.reaper.backend.cpu;

import static org.reaper.backend.cpu.CpuElementwise.requireShape;

import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/**
 * Max- and average-pooling (PyTorch semantics: floor mode, padding ignored by max, counted as zeros by
 * average). Parallel over (n, c) planes: windows overlap only inside a plane, so backward scatters
 * without races.
 */
final class CpuPool {
    private CpuPool() {}

    static void maxForward(CpuParallel par, Tensor x, Tensor y, PoolGeometry g) {
        check("maxPool2dForward", x, "y", y, g);
        float[] xa = CpuStorage.data(x), ya = CpuStorage.data(y);
        int w = g.inW();
        if (isTwoByTwo(g)) { maxForward2x2(par, xa, ya, g); return; }
        forPlanes(par, g, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int xo = p * g.inH() * w, yo = p * g.outH() * g.outW();
                for (int oh = 0; oh < g.outH(); oh++) {
                    int hs = oh * g.strideH() - g.padH(), he = Math.min(hs + g.kernelH(), g.inH());
                    hs = Math.max(hs, 0);
                    for (int ow = 0; ow < g.outW(); ow++) {
                        int ws = ow * g.strideW() - g.padW(), we = Math.min(ws + g.kernelW(), w);
                        ws = Math.max(ws, 0);
                        // Math.max is branch-free and propagates NaN; only the value is needed here
                        float best = Float.NEGATIVE_INFINITY;
                        for (int h = hs; h < he; h++) {
                            int row = xo + h * w;
                            for (int c = ws; c < we; c++) best = Math.max(best, xa[row + c]);
                        }
                        ya[yo + oh * g.outW() + ow] = best;
                    }
                }
            }
        });
    }

    static void maxBackward(CpuParallel par, Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        check("maxPool2dBackward", x, "dy", dy, g);
        requireShape("maxPool2dBackward", "dx", g.inputShape(), dx);
        float[] xa = CpuStorage.data(x), dya = CpuStorage.data(dy), dxa = CpuStorage.data(dx);
        if (isTwoByTwo(g)) { maxBackward2x2(par, xa, dya, dxa, g); return; }
        forPlanes(par, g, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int xo = p * g.inH() * g.inW(), yo = p * g.outH() * g.outW();
                java.util.Arrays.fill(dxa, xo, xo + g.inH() * g.inW(), 0f);
                for (int oh = 0; oh < g.outH(); oh++)
                    for (int ow = 0; ow < g.outW(); ow++)
                        dxa[xo + argMax(xa, xo, g, oh, ow)] += dya[yo + oh * g.outW() + ow];
            }
        });
    }

    static void avgForward(CpuParallel par, Tensor x, Tensor y, PoolGeometry g) {
        check("avgPool2dForward", x, "y", y, g);
        float[] xa = CpuStorage.data(x), ya = CpuStorage.data(y);
        double inv = 1.0 / ((double) g.kernelH() * g.kernelW());
        int w = g.inW();
        forPlanes(par, g, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int xo = p * g.inH() * w, yo = p * g.outH() * g.outW();
                for (int oh = 0; oh < g.outH(); oh++) {
                    int hs = oh * g.strideH() - g.padH(), he = Math.min(hs + g.kernelH(), g.inH());
                    hs = Math.max(hs, 0);
                    for (int ow = 0; ow < g.outW(); ow++) {
                        int ws = ow * g.strideW() - g.padW(), we = Math.min(ws + g.kernelW(), w);
                        ws = Math.max(ws, 0);
                        double s = 0;
                        for (int h = hs; h < he; h++) s += CpuElementwise.sumRange(xa, xo + h * w + ws, xo + h * w + we);
                        ya[yo + oh * g.outW() + ow] = (float) (s * inv);
                    }
                }
            }
        });
    }

    static void avgBackward(CpuParallel par, Tensor dy, Tensor dx, PoolGeometry g) {
        requireShape("avgPool2dBackward", "dy", g.outputShape(), dy);
        requireShape("avgPool2dBackward", "dx", g.inputShape(), dx);
        float[] dya = CpuStorage.data(dy), dxa = CpuStorage.data(dx);
        float inv = (float) (1.0 / ((double) g.kernelH() * g.kernelW()));
        int w = g.inW();
        forPlanes(par, g, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int xo = p * g.inH() * w, yo = p * g.outH() * g.outW();
                java.util.Arrays.fill(dxa, xo, xo + g.inH() * w, 0f);
                for (int oh = 0; oh < g.outH(); oh++) {
                    int hs = oh * g.strideH() - g.padH(), he = Math.min(hs + g.kernelH(), g.inH());
                    hs = Math.max(hs, 0);
                    for (int ow = 0; ow < g.outW(); ow++) {
                        int ws = ow * g.strideW() - g.padW(), we = Math.min(ws + g.kernelW(), w);
                        ws = Math.max(ws, 0);
                        float v = dya[yo + oh * g.outW() + ow] * inv;
                        for (int h = hs; h < he; h++) {
                            int row = xo + h * w;
                            for (int c = ws; c < we; c++) dxa[row + c] += v;
                        }
                    }
                }
            }
        });
    }

    /** The common 2x2 / stride 2 / no padding window, without the generic loop overhead. */
    private static boolean isTwoByTwo(PoolGeometry g) {
        return g.kernelH() == 2 && g.kernelW() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0;
    }

    private static void maxForward2x2(CpuParallel par, float[] xa, float[] ya, PoolGeometry g) {
        int w = g.inW(), oh = g.outH(), ow = g.outW();
        forPlanes(par, g, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int xo = p * g.inH() * w, yo = p * oh * ow;
                for (int r = 0; r < oh; r++) {
                    int top = xo + 2 * r * w, bottom = top + w, out = yo + r * ow;
                    for (int c = 0; c < ow; c++)
                        ya[out + c] = Math.max(Math.max(xa[top + 2 * c], xa[top + 2 * c + 1]),
                                               Math.max(xa[bottom + 2 * c], xa[bottom + 2 * c + 1]));
                }
            }
        });
    }

    private static void maxBackward2x2(CpuParallel par, float[] xa, float[] dya, float[] dxa, PoolGeometry g) {
        int w = g.inW(), oh = g.outH(), ow = g.outW();
        forPlanes(par, g, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int xo = p * g.inH() * w, yo = p * oh * ow;
                java.util.Arrays.fill(dxa, xo, xo + g.inH() * w, 0f);
                for (int r = 0; r < oh; r++) {
                    int top = xo + 2 * r * w, bottom = top + w, out = yo + r * ow;
                    for (int c = 0; c < ow; c++) {
                        int best = top + 2 * c;
                        float bestV = xa[best];
                        best = pick(xa, best + 1, best, bestV);
                        bestV = xa[best];
                        int b2 = pick(xa, bottom + 2 * c, best, bestV);
                        int b3 = pick(xa, bottom + 2 * c + 1, b2, xa[b2]);
                        dxa[b3] += dya[out + c];
                    }
                }
            }
        });
    }

    /** Index i if x[i] beats the current best (strictly greater, or NaN), else the current best. */
    private static int pick(float[] xa, int i, int best, float bestV) {
        float v = xa[i];
        return v > bestV | (v != v & bestV == bestV) ? i : best;
    }

    /**
     * Offset (within the plane at xo) of the first maximal element of window (oh, ow) in row-major
     * order; the first NaN wins (NaN propagates, as in PyTorch).
     */
    private static int argMax(float[] xa, int xo, PoolGeometry g, int oh, int ow) {
        int w = g.inW();
        int hs = oh * g.strideH() - g.padH(), he = Math.min(hs + g.kernelH(), g.inH());
        int ws = ow * g.strideW() - g.padW(), we = Math.min(ws + g.kernelW(), w);
        hs = Math.max(hs, 0);
        ws = Math.max(ws, 0);
        int best = hs * w + ws;
        float bestV = Float.NEGATIVE_INFINITY;
        for (int h = hs; h < he; h++) {
            int row = h * w;
            for (int c = ws; c < we; c++) {
                float v = xa[xo + row + c];
                boolean take = v > bestV | (v != v & bestV == bestV); // branch-free: C2 can use conditional moves
                bestV = take ? v : bestV;
                best = take ? row + c : best;
            }
        }
        return best;
    }

    private static void check(String op, Tensor x, String outName, Tensor out, PoolGeometry g) {
        if (g == null) throw new IllegalArgumentException(op + ": geometry is null");
        requireShape(op, "x", g.inputShape(), x);
        requireShape(op, outName, g.outputShape(), out);
    }

    private static void forPlanes(CpuParallel par, PoolGeometry g, CpuParallel.RangeBody body) {
        int planes = g.batch() * g.channels();
        int grain = Math.max(1, (1 << 14) / (g.inH() * g.inW()));
        par.forRange(planes, grain, body);
    }
}
