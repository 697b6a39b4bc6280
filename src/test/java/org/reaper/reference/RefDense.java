package org.reaper.reference;

import org.reaper.backend.ConvGeometry;

/**
 * Float64 reference for the dense ops: slow, direct loops that follow the definitions (row-major,
 * NCHW activations, OIHW weights, PyTorch Linear layout). Backward passes are written from the
 * definition of each forward sum, independently of any im2col trick.
 */
public final class RefDense {
    private RefDense() {}

    /** alpha * op(A) * op(B) + beta * C (C ignored when beta == 0); A is m x k (k x m if ta), B is k x n (n x k if tb). */
    public static double[] gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, double[] b,
                                double beta, double[] c) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[p * m + i] : a[i * k + p];
                    double bv = tb ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                out[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    /** y[r][o] = sum_i x[r][i] * w[o][i] + bias[o] (bias may be null). */
    public static double[] linearForward(double[] x, double[] w, double[] bias, int n, int in, int out) {
        double[] y = new double[n * out];
        for (int r = 0; r < n; r++)
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) s += x[r * in + i] * w[o * in + i];
                y[r * out + o] = s;
            }
        return y;
    }

    /** {dx[n,in], dw[out,in], dbias[out]} for upstream gradient dy[n,out]. */
    public static double[][] linearBackward(double[] x, double[] w, double[] dy, int n, int in, int out) {
        double[] dx = new double[n * in], dw = new double[out * in], db = new double[out];
        for (int r = 0; r < n; r++)
            for (int o = 0; o < out; o++) {
                double g = dy[r * out + o];
                db[o] += g;
                for (int i = 0; i < in; i++) {
                    dx[r * in + i] += g * w[o * in + i];
                    dw[o * in + i] += g * x[r * in + i];
                }
            }
        return new double[][]{dx, dw, db};
    }

    /** y[n][o][oy][ox] = bias[o] + sum over c, i, j of x[n][c][oy*sh - ph + i][ox*sw - pw + j] * w[o][c][i][j]. */
    public static double[] conv2dForward(double[] x, double[] w, double[] bias, ConvGeometry g) {
        int oh = g.outH(), ow = g.outW();
        double[] y = new double[g.outputShape().numel()];
        for (int n = 0; n < g.batch(); n++)
            for (int o = 0; o < g.outChannels(); o++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double s = bias == null ? 0 : bias[o];
                        for (int c = 0; c < g.inChannels(); c++)
                            for (int i = 0; i < g.kernelH(); i++)
                                for (int j = 0; j < g.kernelW(); j++) {
                                    int iy = oy * g.strideH() - g.padH() + i, ix = ox * g.strideW() - g.padW() + j;
                                    if (iy < 0 || iy >= g.inH() || ix < 0 || ix >= g.inW()) continue;
                                    s += x[xIndex(g, n, c, iy, ix)] * w[wIndex(g, o, c, i, j)];
                                }
                        y[yIndex(g, n, o, oy, ox)] = s;
                    }
        return y;
    }

    /** dx = d(sum y*dy)/dx: every output pixel scatters dy * w back to the inputs it read. */
    public static double[] conv2dBackwardData(double[] dy, double[] w, ConvGeometry g) {
        double[] dx = new double[g.inputShape().numel()];
        forEachTap(g, (n, o, oy, ox, c, i, j, iy, ix) ->
                dx[xIndex(g, n, c, iy, ix)] += dy[yIndex(g, n, o, oy, ox)] * w[wIndex(g, o, c, i, j)]);
        return dx;
    }

    /** dw = d(sum y*dy)/dw: the correlation of dy with the input. */
    public static double[] conv2dBackwardFilter(double[] x, double[] dy, ConvGeometry g) {
        double[] dw = new double[g.weightShape().numel()];
        forEachTap(g, (n, o, oy, ox, c, i, j, iy, ix) ->
                dw[wIndex(g, o, c, i, j)] += dy[yIndex(g, n, o, oy, ox)] * x[xIndex(g, n, c, iy, ix)]);
        return dw;
    }

    /** dbias[o] = sum of dy over images and pixels of channel o. */
    public static double[] conv2dBiasGrad(double[] dy, ConvGeometry g) {
        int p = g.outH() * g.outW();
        double[] db = new double[g.outChannels()];
        for (int n = 0; n < g.batch(); n++)
            for (int o = 0; o < g.outChannels(); o++)
                for (int q = 0; q < p; q++) db[o] += dy[(n * g.outChannels() + o) * p + q];
        return db;
    }

    private interface Tap { void at(int n, int o, int oy, int ox, int c, int i, int j, int iy, int ix); }

    /** Visits every (output pixel, weight tap) pair whose input pixel lies inside the image. */
    private static void forEachTap(ConvGeometry g, Tap tap) {
        for (int n = 0; n < g.batch(); n++)
            for (int o = 0; o < g.outChannels(); o++)
                for (int oy = 0; oy < g.outH(); oy++)
                    for (int ox = 0; ox < g.outW(); ox++)
                        for (int c = 0; c < g.inChannels(); c++)
                            for (int i = 0; i < g.kernelH(); i++)
                                for (int j = 0; j < g.kernelW(); j++) {
                                    int iy = oy * g.strideH() - g.padH() + i, ix = ox * g.strideW() - g.padW() + j;
                                    if (iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW()) tap.at(n, o, oy, ox, c, i, j, iy, ix);
                                }
    }

    private static int xIndex(ConvGeometry g, int n, int c, int y, int x) { return ((n * g.inChannels() + c) * g.inH() + y) * g.inW() + x; }
    private static int yIndex(ConvGeometry g, int n, int o, int y, int x) { return ((n * g.outChannels() + o) * g.outH() + y) * g.outW() + x; }
    private static int wIndex(ConvGeometry g, int o, int c, int i, int j) { return ((o * g.inChannels() + c) * g.kernelH() + i) * g.kernelW() + j; }
}
