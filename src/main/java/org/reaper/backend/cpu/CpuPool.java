package org.reaper.backend.cpu;

import java.util.Arrays;
import org.reaper.backend.KernelChecks;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/**
 * Max- and average-pooling (PyTorch semantics: floor mode, padding ignored by max, counted as zeros by
 * average). Parallel over (n, c) planes: windows overlap only inside a plane, so backward scatters
 * without races. The common 2x2 / stride 2 / no-padding window has its own loops ({@link Pool2x2});
 * the generic loops below work on one plane at a time with the geometry in locals.
 */
final class CpuPool {
    private CpuPool() {}

    static void maxForward(CpuParallel par, Tensor x, Tensor y, Tensor argmax, PoolGeometry g) {
        KernelChecks.maxPool2dForward(x, y, argmax, g);
        float[] xa = CpuStorage.data(x), ya = CpuStorage.data(y), aa = argmax == null ? null : CpuStorage.data(argmax);
        int in = g.inH() * g.inW(), out = g.outH() * g.outW();
        boolean fast = Pool2x2.applies(g);
        forPlanes(par, g, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                if (fast && aa == null) Pool2x2.maxForward(xa, p * in, ya, p * out, g.inW(), g.outH(), g.outW());
                else if (fast) Pool2x2.maxForwardArgmax(xa, p * in, ya, aa, p * out, g.inW(), g.outH(), g.outW());
                else maxForwardPlane(xa, p * in, ya, aa, p * out, g);
            }
        });
    }

    static void maxBackward(CpuParallel par, Tensor argmax, Tensor dy, Tensor dx, PoolGeometry g) {
        KernelChecks.maxPool2dBackward(argmax, dy, dx, g);
        float[] aa = CpuStorage.data(argmax), dya = CpuStorage.data(dy), dxa = CpuStorage.data(dx);
        int in = g.inH() * g.inW(), out = g.outH() * g.outW();
        boolean fast = Pool2x2.applies(g);
        forPlanes(par, g, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                if (fast) Pool2x2.maxBackward(aa, dya, p * out, dxa, p * in, g.inH(), g.inW(), g.outH(), g.outW());
                else maxBackwardPlane(aa, dya, p * out, dxa, p * in, g);
            }
        });
    }

    static void avgForward(CpuParallel par, Tensor x, Tensor y, PoolGeometry g) {
        KernelChecks.pool2dForward("avgPool2dForward", x, y, g);
        float[] xa = CpuStorage.data(x), ya = CpuStorage.data(y);
        double inv = 1.0 / ((double) g.kernelH() * g.kernelW());
        int in = g.inH() * g.inW(), out = g.outH() * g.outW();
        boolean fast = Pool2x2.applies(g);
        forPlanes(par, g, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                if (fast) Pool2x2.avgForward(xa, p * in, ya, p * out, g.inW(), g.outH(), g.outW());
                else avgForwardPlane(xa, p * in, ya, p * out, g, inv);
            }
        });
    }

    static void avgBackward(CpuParallel par, Tensor dy, Tensor dx, PoolGeometry g) {
        KernelChecks.avgPool2dBackward(dy, dx, g);
        float[] dya = CpuStorage.data(dy), dxa = CpuStorage.data(dx);
        float inv = (float) (1.0 / ((double) g.kernelH() * g.kernelW()));
        int in = g.inH() * g.inW(), out = g.outH() * g.outW();
        boolean fast = Pool2x2.applies(g);
        forPlanes(par, g, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                if (fast) Pool2x2.avgBackward(dya, p * out, dxa, p * in, g.inH(), g.inW(), g.outH(), g.outW(), inv);
                else avgBackwardPlane(dya, p * out, dxa, p * in, g, inv);
            }
        });
    }

    // ------------------------------------------------------------------ generic windows, one plane

    /** Window maxima of one plane, and (when aa is not null) the window position of each first maximum. */
    private static void maxForwardPlane(float[] xa, int xo, float[] ya, float[] aa, int yo, PoolGeometry g) {
        int h = g.inH(), w = g.inW(), oh = g.outH(), ow = g.outW();
        int kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        for (int r = 0; r < oh; r++) {
            int top = r * sh - ph, hs = Math.max(top, 0), he = Math.min(top + kh, h);
            for (int c = 0; c < ow; c++) {
                int left = c * sw - pw, ws = Math.max(left, 0), we = Math.min(left + kw, w);
                // the first maximum in row-major order, the first NaN if any, found on integer order keys (selects,
                // no mispredicted float-compare branches); the output is that cell's value, as on the GPU
                int at = (hs - top) * kw + (ws - left), atKey = MaxKey.NEGATIVE_INFINITY, atCell = xo + hs * w + ws;
                for (int i = hs; i < he; i++) {
                    int row = xo + i * w;
                    for (int j = ws; j < we; j++) {
                        int key = MaxKey.of(xa[row + j]), take = -MaxKey.greater(key, atKey);
                        at ^= (at ^ ((i - top) * kw + (j - left))) & take;
                        atCell ^= (atCell ^ (row + j)) & take;
                        atKey = Math.max(atKey, key);
                    }
                }
                ya[yo + r * ow + c] = xa[atCell];
                if (aa != null) aa[yo + r * ow + c] = at;
            }
        }
    }

    /** Zero the plane, then route each dy to the input cell its forward recorded (overlaps accumulate). */
    private static void maxBackwardPlane(float[] aa, float[] dya, int yo, float[] dxa, int xo, PoolGeometry g) {
        int h = g.inH(), w = g.inW(), oh = g.outH(), ow = g.outW();
        int kw = g.kernelW(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        Arrays.fill(dxa, xo, xo + h * w, 0f);
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                int o = yo + r * ow + c, at = (int) aa[o];
                dxa[xo + (r * sh - ph + at / kw) * w + (c * sw - pw + at % kw)] += dya[o];
            }
        }
    }

    private static void avgForwardPlane(float[] xa, int xo, float[] ya, int yo, PoolGeometry g, double inv) {
        int h = g.inH(), w = g.inW(), oh = g.outH(), ow = g.outW();
        int kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        for (int r = 0; r < oh; r++) {
            int hs = r * sh - ph, he = Math.min(hs + kh, h);
            hs = Math.max(hs, 0);
            for (int c = 0; c < ow; c++) {
                int ws = c * sw - pw, we = Math.min(ws + kw, w);
                ws = Math.max(ws, 0);
                double s = 0;
                for (int i = hs; i < he; i++) s += CpuElementwise.sumRange(xa, xo + i * w + ws, xo + i * w + we);
                ya[yo + r * ow + c] = (float) (s * inv);
            }
        }
    }

    private static void avgBackwardPlane(float[] dya, int yo, float[] dxa, int xo, PoolGeometry g, float inv) {
        int h = g.inH(), w = g.inW(), oh = g.outH(), ow = g.outW();
        int kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        Arrays.fill(dxa, xo, xo + h * w, 0f);
        for (int r = 0; r < oh; r++) {
            int hs = r * sh - ph, he = Math.min(hs + kh, h);
            hs = Math.max(hs, 0);
            for (int c = 0; c < ow; c++) {
                int ws = c * sw - pw, we = Math.min(ws + kw, w);
                ws = Math.max(ws, 0);
                float v = dya[yo + r * ow + c] * inv;
                for (int i = hs; i < he; i++) {
                    int row = xo + i * w;
                    for (int j = row + ws, end = row + we; j < end; j++) dxa[j] += v;
                }
            }
        }
    }

    private static void forPlanes(CpuParallel par, PoolGeometry g, CpuParallel.RangeBody body) {
        int planes = g.batch() * g.channels();
        int grain = Math.max(1, (1 << 14) / (g.inH() * g.inW()));
        par.forRange(planes, grain, body);
    }
}
