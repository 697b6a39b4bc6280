package org.reaper.backend.cuda;

import org.reaper.backend.ConvGeometry;

/** Direct float64 convolution and its two gradients (NCHW, OIHW), the reference for CudaParityTest. */
final class ConvReference {
    private ConvReference() {}

    /** {y (with bias), dx, dw, dbias}. */
    static double[][] all(ConvGeometry g, float[] x, float[] w, float[] bias, float[] dy) {
        int B = g.batch(), C = g.inChannels(), H = g.inH(), W = g.inW(), O = g.outChannels();
        int KH = g.kernelH(), KW = g.kernelW(), OH = g.outH(), OW = g.outW();
        double[] y = new double[B * O * OH * OW], dx = new double[B * C * H * W], dw = new double[O * C * KH * KW], db = new double[O];
        for (int b = 0; b < B; b++)
            for (int o = 0; o < O; o++)
                for (int oh = 0; oh < OH; oh++)
                    for (int ow = 0; ow < OW; ow++) {
                        int yi = ((b * O + o) * OH + oh) * OW + ow;
                        double acc = bias[o];
                        db[o] += dy[yi];
                        for (int c = 0; c < C; c++)
                            for (int kh = 0; kh < KH; kh++) {
                                int ih = oh * g.strideH() - g.padH() + kh;
                                if (ih < 0 || ih >= H) continue;
                                for (int kw = 0; kw < KW; kw++) {
                                    int iw = ow * g.strideW() - g.padW() + kw;
                                    if (iw < 0 || iw >= W) continue;
                                    int xi = ((b * C + c) * H + ih) * W + iw, wi = ((o * C + c) * KH + kh) * KW + kw;
                                    acc += (double) x[xi] * w[wi];
                                    dx[xi] += (double) dy[yi] * w[wi];
                                    dw[wi] += (double) dy[yi] * x[xi];
                                }
                            }
                        y[yi] = acc;
                    }
        return new double[][] {y, dx, dw, db};
    }
}
