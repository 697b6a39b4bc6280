package org.reaper.backend.cpu;

import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/** Fully connected layer in PyTorch layout (x[N,in], w[out,in], y[N,out]) on top of {@link CpuGemm}. */
final class CpuLinear {
    private CpuLinear() {}

    static void forward(CpuParallel par, Tensor x, Tensor w, Tensor bias, Tensor y) {
        String op = "linearForward";
        int[] nio = dims(op, x, w);
        int n = nio[0], in = nio[1], out = nio[2];
        ShapeMismatchException.require(op, "output", Shape.of(n, out), y.shape());
        if (bias != null) ShapeMismatchException.require(op, "bias", Shape.of(out), bias.shape());
        float[] ys = CpuStorage.data(y);
        float beta = 0f;
        if (bias != null) {
            float[] bs = CpuStorage.data(bias);
            for (int r = 0; r < n; r++) System.arraycopy(bs, 0, ys, r * out, out);
            beta = 1f;
        }
        CpuGemm.gemm(par, false, true, n, out, in, 1f, CpuStorage.data(x), 0, in, CpuStorage.data(w), 0, in, beta, ys, 0, out);
    }

    static void backward(CpuParallel par, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        String op = "linearBackward";
        int[] nio = dims(op, x, w);
        int n = nio[0], in = nio[1], out = nio[2];
        ShapeMismatchException.require(op, "output gradient", Shape.of(n, out), dy.shape());
        if (dx != null) ShapeMismatchException.require(op, "input gradient", x.shape(), dx.shape());
        ShapeMismatchException.require(op, "weight gradient", w.shape(), dw.shape());
        if (db != null) ShapeMismatchException.require(op, "bias gradient", Shape.of(out), db.shape());
        float[] dys = CpuStorage.data(dy);
        if (dx != null)
            CpuGemm.gemm(par, false, false, n, in, out, 1f, dys, 0, out, CpuStorage.data(w), 0, in, 0f, CpuStorage.data(dx), 0, in);
        CpuGemm.gemm(par, true, false, out, in, n, 1f, dys, 0, out, CpuStorage.data(x), 0, in, 0f, CpuStorage.data(dw), 0, in);
        if (db != null) {
            float[] dbs = CpuStorage.data(db);
            double[] acc = new double[out];
            for (int r = 0; r < n; r++) for (int j = 0; j < out; j++) acc[j] += dys[r * out + j];
            for (int j = 0; j < out; j++) dbs[j] = (float) acc[j];
        }
    }

    /** {N, in, out} after checking x is [N, in] and w is [out, in]. */
    private static int[] dims(String op, Tensor x, Tensor w) {
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1))
            throw new ShapeMismatchException(op, "input " + x.shape() + " does not fit weight " + w.shape() + " (expected [N, in] and [out, in])");
        return new int[]{x.dim(0), x.dim(1), w.dim(0)};
    }
}
