package org.reaper.backend.cuda;

import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/** GEMM through the chosen provider, and the Linear layer built on it. */
final class CudaGemm {
    /** Who multiplies: Reaper's FP32 tiles, its TF32 tensor-core kernel, or cuBLAS (FP32). */
    enum Provider { OWN, TF32, CUBLAS }

    private final CudaLauncher l;
    private final Provider provider;
    private final CublasGemm cublas;   // null unless provider == CUBLAS

    CudaGemm(CudaLauncher l, Provider provider, CublasGemm cublas) {
        this.l = l;
        this.provider = provider;
        this.cublas = cublas;
    }

    Provider provider() { return provider; }

    void gemm(boolean ta, boolean tb, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2)
            throw new ShapeMismatchException("gemm", "expects 2-D tensors, got A " + a.shape() + ", B " + b.shape() + ", C " + c.shape());
        int m = ta ? a.dim(1) : a.dim(0), k = ta ? a.dim(0) : a.dim(1);
        int kb = tb ? b.dim(1) : b.dim(0), n = tb ? b.dim(0) : b.dim(1);
        if (k != kb || c.dim(0) != m || c.dim(1) != n)
            throw new ShapeMismatchException("gemm", "op(A) of A " + a.shape() + (ta ? "^T" : "") + " times op(B) of B "
                    + b.shape() + (tb ? "^T" : "") + " does not fit C " + c.shape());
        run(ta, tb, m, n, k, alpha, a, b, beta, c);
    }

    void run(boolean ta, boolean tb, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        if (m == 0 || n == 0) return;
        switch (provider) {
            case CUBLAS -> cublas.sgemm(ta, tb, m, n, k, alpha, a, b, beta, c);
            case TF32 -> l.launch(CudaKernels.SGEMM_TF32_WMMA, CudaLauncher.blocksFor(n, 32), CudaLauncher.blocksFor(m, 32), 1, 128,
                    ta ? 1 : 0, tb ? 1 : 0, m, n, k, alpha, a, b, beta, c);
            default -> l.launch(CudaKernels.SGEMM_TILED, CudaLauncher.blocksFor(n, 64), CudaLauncher.blocksFor(m, 64), 1, 256,
                    ta ? 1 : 0, tb ? 1 : 0, m, n, k, alpha, a, b, beta, c);
        }
    }

    void linearForward(Tensor x, Tensor w, Tensor bias, Tensor y) {
        String op = "linearForward";
        int[] nio = dims(op, x, w);
        int n = nio[0], in = nio[1], out = nio[2];
        ShapeMismatchException.require(op, "output", Shape.of(n, out), y.shape());
        if (bias != null) ShapeMismatchException.require(op, "bias", Shape.of(out), bias.shape());
        run(false, true, n, out, in, 1f, x, w, 0f, y);
        if (bias != null) l.launchElements(CudaKernels.ADD_BIAS_ROWS, (long) n * out, y, bias, n, out);
    }

    void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        String op = "linearBackward";
        int[] nio = dims(op, x, w);
        int n = nio[0], in = nio[1], out = nio[2];
        ShapeMismatchException.require(op, "output gradient", Shape.of(n, out), dy.shape());
        if (dx != null) ShapeMismatchException.require(op, "input gradient", x.shape(), dx.shape());
        ShapeMismatchException.require(op, "weight gradient", w.shape(), dw.shape());
        if (db != null) ShapeMismatchException.require(op, "bias gradient", Shape.of(out), db.shape());
        if (dx != null) run(false, false, n, in, out, 1f, dy, w, 0f, dx);
        run(true, false, out, in, n, 1f, dy, x, 0f, dw);
        if (db != null) l.launch(CudaKernels.COLUMN_SUMS, CudaLauncher.blocksFor(out, 128), 1, 1, 128, dy, n, out, db);
    }

    private static int[] dims(String op, Tensor x, Tensor w) {
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1))
            throw new ShapeMismatchException(op, "input " + x.shape() + " does not fit weight " + w.shape() + " (expected [N, in] and [out, in])");
        return new int[] {x.dim(0), x.dim(1), w.dim(0)};
    }
}
