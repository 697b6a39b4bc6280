package org.reaper.nn;

import java.util.HashMap;
import java.util.Map;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.AvgPool2dFn;
import org.reaper.autograd.ops.LinearFn;
import org.reaper.autograd.ops.ReshapeFn;
import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * PyTorch's {@code AdaptiveAvgPool2d((outH, outW))}: output cell (i, j) is the mean of input rows
 * floor(i*H/outH) .. ceil((i+1)*H/outH)-1 and the columns alike (bins may overlap, and repeat an input cell when
 * the input is smaller than the output). An input of the output's size passes through unchanged; one that is
 * an exact multiple k of it is a k x k/k average pool; any other size is the same mean written as a product with
 * a constant [outH*outW, H*W] averaging matrix per plane (a Linear without bias; no new kernel), kept on the
 * device per input size.
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH, outW;
    private final Map<Long, Tensor> matrices = new HashMap<>();

    public AdaptiveAvgPool2d(Backend b, int outH, int outW) {
        super(b);
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("adaptive pooling output must be at least 1x1, got " + outH + "x" + outW);
        this.outH = outH; this.outW = outW;
    }

    @Override public Variable forward(Variable x) {
        Shape s = x.shape();
        if (s.rank() != 4) throw new IllegalArgumentException("adaptive average pooling expects [N,C,H,W], got " + s);
        int n = s.dim(0), c = s.dim(1), h = s.dim(2), w = s.dim(3);
        if (h == outH && w == outW) return x;
        if (h % outH == 0 && w % outW == 0 && h / outH == w / outW) {
            int k = h / outH;
            return AvgPool2dFn.apply(backend, x, k, k, 0);
        }
        Tensor p = matrices.computeIfAbsent(((long) h << 32) | w, key -> {
            Tensor t = Persistent.empty(backend, Shape.of(outH * outW, h * w));
            backend.upload(matrix(h, w, outH, outW), t);
            return t;
        });
        Variable planes = ReshapeFn.apply(backend, x, Shape.of(n * c, h * w));
        Variable pooled = LinearFn.apply(backend, planes, Variable.constant(p), null);
        return ReshapeFn.apply(backend, pooled, Shape.of(n, c, outH, outW));
    }

    /** Row (i*outW + j) holds 1/(bin size) at the input cells of output cell (i, j), 0 elsewhere. */
    static float[] matrix(int h, int w, int outH, int outW) {
        float[] m = new float[outH * outW * h * w];
        for (int i = 0; i < outH; i++) {
            int y0 = start(i, h, outH), y1 = end(i, h, outH);
            for (int j = 0; j < outW; j++) {
                int x0 = start(j, w, outW), x1 = end(j, w, outW);
                float v = 1f / ((y1 - y0) * (x1 - x0));
                int row = (i * outW + j) * h * w;
                for (int y = y0; y < y1; y++) for (int xx = x0; xx < x1; xx++) m[row + y * w + xx] = v;
            }
        }
        return m;
    }

    /** PyTorch's bin bounds: start = floor(i*in/out), end = ceil((i+1)*in/out). */
    public static int start(int i, int in, int out) { return (int) ((long) i * in / out); }
    public static int end(int i, int in, int out) { return (int) (((long) (i + 1) * in + out - 1) / out); }

    public int outH() { return outH; }
    public int outW() { return outW; }
}
