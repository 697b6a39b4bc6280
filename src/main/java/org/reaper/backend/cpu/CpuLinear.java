package org.reaper.backend.cpu;

import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/** Fully connected layer in PyTorch layout (x[N,in], w[out,in], y[N,out]) on top of {@link CpuGemm}. */
final class CpuLinear {
    private CpuLinear() {}

    static void forward(CpuParallel par, Tensor x, Tensor w, Tensor bias, Tensor y) {
        KernelChecks.LinearDims d = KernelChecks.linearForward(x, w, bias, y);
        int n = d.n(), in = d.in(), out = d.out();
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
        KernelChecks.LinearDims d = KernelChecks.linearBackward(x, w, dy, dx, dw, db);
        int n = d.n(), in = d.in(), out = d.out();
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

}
