package org.reaper.backend.cuda;

import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/**
 * GEMM through the chosen provider, and the Linear layer built on it: Reaper's FP32 tiles or cuBLAS
 * (FP32), the faster per shape (see ProviderChoice), or Reaper's TF32 tensor-core kernel when asked for
 * explicitly (it changes the numbers, so it is never picked by measurement).
 */
final class CudaGemm {
    /** Who multiplies: measured per shape (own or cuBLAS), or the TF32 tensor-core kernel. */
    enum Provider { MEASURED, TF32 }

    private final CudaLauncher l;
    private final Provider provider;
    private final CublasGemm cublas;   // null where cuBLAS did not load or was not wanted
    private final ProviderChoice<Key> choice;

    /** What the provider choice is made for: one GEMM shape (beta != 0 apart: it reads C). */
    record Key(boolean ta, boolean tb, int m, int n, int k, boolean accumulate) {}

    CudaGemm(CudaLauncher l, Provider provider, CublasGemm cublas, ProviderChoice<Key> choice) {
        this.l = l;
        this.provider = provider;
        this.cublas = cublas;
        this.choice = choice;
    }

    Provider provider() { return provider; }
    ProviderChoice<Key> choice() { return choice; }

    void gemm(boolean ta, boolean tb, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        KernelChecks.GemmDims d = KernelChecks.gemm(ta, tb, a, b, c);
        run(ta, tb, d.m(), d.n(), d.k(), alpha, a, b, beta, c);
    }

    void run(boolean ta, boolean tb, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        if (m == 0 || n == 0) return;
        if (provider == Provider.TF32) {
            l.launch(CudaKernels.SGEMM_TF32_WMMA, CudaLauncher.blocksFor(n, 32), CudaLauncher.blocksFor(m, 32), 1, 128,
                    ta ? 1 : 0, tb ? 1 : 0, m, n, k, alpha, a, b, beta, c);
            return;
        }
        Runnable own = () -> l.launch(CudaKernels.SGEMM_TILED, CudaLauncher.blocksFor(n, 64), CudaLauncher.blocksFor(m, 64), 1, 256,
                ta ? 1 : 0, tb ? 1 : 0, m, n, k, alpha, a, b, beta, c);
        // beta != 0 reads C: a timing run would accumulate into it, so such calls are measured only when cuBLAS is forced
        boolean withCublas = cublas != null && (beta == 0f || "cublas".equals(choice.setting()));
        choice.run(new Key(ta, tb, m, n, k, beta != 0f), own, "cublas",
                withCublas ? () -> cublas.sgemm(ta, tb, m, n, k, alpha, a, b, beta, c) : null);
    }

    void linearForward(Tensor x, Tensor w, Tensor bias, Tensor y) {
        KernelChecks.LinearDims d = KernelChecks.linearForward(x, w, bias, y);
        int n = d.n(), in = d.in(), out = d.out();
        run(false, true, n, out, in, 1f, x, w, 0f, y);
        if (bias != null) l.launchElements(CudaKernels.ADD_BIAS_ROWS, (long) n * out, y, bias, n, out);
    }

    void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        KernelChecks.LinearDims d = KernelChecks.linearBackward(x, w, dy, dx, dw, db);
        int n = d.n(), in = d.in(), out = d.out();
        if (dx != null) run(false, false, n, in, out, 1f, dy, w, 0f, dx);
        run(true, false, out, in, n, 1f, dy, x, 0f, dw);
        if (db != null) l.launch(CudaKernels.COLUMN_SUMS, CudaLauncher.blocksFor(out, 128), 1, 1, 128, dy, n, out, db);
    }

}
