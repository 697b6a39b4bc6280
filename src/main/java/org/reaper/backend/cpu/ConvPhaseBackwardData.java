package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;

/**
 * Backward-data of a strided convolution without col2im. The input gradient splits into
 * sh x sw phases by (row + padH) mod sh and (col + padW) mod sw; within phase (a, b) only the
 * taps i = a + sh*di, j = b + sw*dj reach it, and it is a stride-1 correlation of dy (zero-padded
 * once per image) with those taps: dx[c][y0 + sh*t][x0 + sw*u] = sum over o, di, dj of
 * w[o][c][a + sh*di][b + sw*dj] * dy[o][r0 + t - di][c0 + u - dj]. Every dx element is written by
 * exactly one phase, so no flops are wasted on zero rows and no accumulation order changes.
 */
final class ConvPhaseBackwardData {
    private ConvPhaseBackwardData() {}

    /** One output phase: its plan (null when no tap reaches it: those dx are zero) and where its pixels land in dx. */
    private record Phase(CpuConvDirect.Plan plan, int y0, int x0, int rows, int cols) {}

    /** One dimension's phase split: first dx index, count, first dy index and tap count per phase. */
    private record Split(int[] first, int[] count, int[] dyFirst, int[] taps, int top, int padded) {
        static Split of(int size, int pad, int k, int s, int out) {
            int[] first = new int[s], count = new int[s], dyFirst = new int[s], taps = new int[s];
            int top = (k - 1) / s, reach = out;
            for (int a = 0; a < s; a++) {
                first[a] = ((a - pad) % s + s) % s;
                count[a] = first[a] < size ? (size - 1 - first[a]) / s + 1 : 0;
                dyFirst[a] = (first[a] + pad) / s;
                taps[a] = a < k ? (k - a + s - 1) / s : 0;
                reach = Math.max(reach, dyFirst[a] + count[a]);
            }
            return new Split(first, count, dyFirst, taps, top, top + reach);
        }
    }

    static void run(CpuParallel par, CpuMemoryPool pool, float[] dys, float[] ws, float[] dxs, ConvGeometry g) {
        int cin = g.inChannels(), cout = g.outChannels(), kh = g.kernelH(), kw = g.kernelW(), sh = g.strideH(), sw = g.strideW();
        Split rs = Split.of(g.inH(), g.padH(), kh, sh, g.outH()), cs = Split.of(g.inW(), g.padW(), kw, sw, g.outW());
        CpuConvDirect.Layout in = new CpuConvDirect.Layout(cout, g.outH(), g.outW(), rs.top(), cs.top(), 1, 1, rs.padded(), cs.padded());
        Phase[] phases = new Phase[sh * sw];
        int paddedSize = in.size(), wideSize = 0, phaseSize = 0;
        try {
            for (int a = 0; a < sh; a++)
                for (int b = 0; b < sw; b++) {
                    int rows = rs.count()[a], cols = cs.count()[b], nda = rs.taps()[a], ndb = cs.taps()[b];
                    CpuConvDirect.Plan plan = null;
                    if (rows > 0 && cols > 0 && nda > 0 && ndb > 0) {
                        int taps = cout * nda * ndb;
                        int[] offs = new int[taps];
                        float[] wt = pool.take(cin * taps);
                        try {
                            for (int o = 0; o < cout; o++)
                                for (int di = 0; di < nda; di++)
                                    for (int dj = 0; dj < ndb; dj++) {
                                        int t = (o * nda + di) * ndb + dj;
                                        offs[t] = (o * in.qh() + rs.dyFirst()[a] - di + rs.top()) * in.qw() + cs.dyFirst()[b] - dj + cs.top();
                                        for (int c = 0; c < cin; c++)
                                            wt[c * taps + t] = ws[((o * cin + c) * kh + a + sh * di) * kw + b + sw * dj];
                                    }
                            plan = CpuConvDirect.plan(pool, wt, cin, offs, rows, cols, in);
                        } finally {
                            pool.give(wt);
                        }
                        paddedSize = Math.max(paddedSize, plan.paddedSize());
                        wideSize = Math.max(wideSize, plan.wideSize());
                        phaseSize = Math.max(phaseSize, cin * rows * cols);
                    }
                    phases[a * sw + b] = new Phase(plan, rs.first()[a], cs.first()[b], rows, cols);
                }
            int inSize = cin * g.inH() * g.inW(), outSize = cout * g.outH() * g.outW();
            int padSz = paddedSize, wideSz = wideSize, phaseSz = phaseSize;
            par.forRange(g.batch(), 1, (s, e) -> {
                float[] padded = pool.take(padSz), wide = wideSz > 0 ? pool.take(wideSz) : null;
                java.util.Arrays.fill(padded, 0f);
                float[] out = phaseSz > 0 ? pool.take(phaseSz) : null;
                float[] tile = CpuConvDirect.tile();
                try {
                    for (int n = s; n < e; n++) {
                        CpuConvDirect.prepare(in, dys, n * outSize, padded);
                        for (Phase ph : phases) image(ph, g, padded, tile, wide, out, dxs, n * inSize);
                    }
                } finally {
                    pool.give(padded);
                    if (wide != null) pool.give(wide);
                    if (out != null) pool.give(out);
                }
            });
        } finally {
            for (Phase ph : phases) if (ph != null && ph.plan() != null) CpuConvDirect.release(pool, ph.plan());
        }
    }

    private static void image(Phase ph, ConvGeometry g, float[] padded, float[] tile, float[] wide, float[] out, float[] dx, int dxo) {
        int rows = ph.rows(), cols = ph.cols(), h = g.inH(), w = g.inW(), sh = g.strideH(), sw = g.strideW();
        if (rows == 0 || cols == 0) return;
        if (ph.plan() != null) CpuConvDirect.compute(ph.plan(), padded, tile, wide, out, 0, 0f);
        for (int c = 0; c < g.inChannels(); c++)
            for (int t = 0; t < rows; t++) {
                int dst = dxo + (c * h + ph.y0() + sh * t) * w + ph.x0(), src = (c * rows + t) * cols;
                if (ph.plan() == null) for (int u = 0; u < cols; u++) dx[dst + sw * u] = 0f;
                else if (sw == 1) System.arraycopy(out, src, dx, dst, cols);
                else for (int u = 0; u < cols; u++) dx[dst + sw * u] = out[src + u];
            }
    }
}
