package org.reaper.backend.cuda;

import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/**
 * Batch norm over [N, C, ...]: per-channel statistics (one block per channel), then elementwise
 * passes. The per-channel factors (scale; the three coefficients of dx) are computed once in double
 * by the statistics kernels and handed to the elementwise kernels, exactly as the CPU backend does.
 */
final class CudaBatchNorm {
    private static final int STATS_BLOCK = 512;

    private final CudaLauncher l;
    private final CudaMemoryPool pool;

    CudaBatchNorm(CudaLauncher l, CudaMemoryPool pool) { this.l = l; this.pool = pool; }

    void train(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) {
        KernelChecks.batchNormTrain(x, gamma, beta, rm, rv, y, sm, sis);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        try (DeviceScratch scale = new DeviceScratch(pool, (long) c * Float.BYTES)) {
            l.launch(CudaKernels.BN_TRAIN_STATS, c, 1, 1, STATS_BLOCK, x, gamma, n, c, hw, momentum, eps, rm, rv, sm, sis, scale.ptr);
            l.launchElements(CudaKernels.BN_APPLY, x.numel(), x, sm, scale.ptr, beta, n, c, hw, 0, y);
        }
    }

    void eval(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float eps, Tensor y) {
        KernelChecks.batchNormEval(x, gamma, beta, rm, rv, y);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        l.launchElements(CudaKernels.BN_EVAL_APPLY, x.numel(), x, gamma, beta, rm, rv, eps, n, c, hw, y);
    }

    void backward(Tensor x, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        KernelChecks.batchNormBackward(x, dy, gamma, sm, sis, dx, dg, db);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        try (DeviceScratch coeffs = new DeviceScratch(pool, 3L * c * Float.BYTES)) {
            l.launch(CudaKernels.BN_BWD_REDUCE, c, 1, 1, STATS_BLOCK, x, dy, gamma, sm, sis, n, c, hw, dg, db, coeffs.ptr);
            l.launchElements(CudaKernels.BN_BWD_DX, x.numel(), x, dy, sm, coeffs.ptr, n, c, hw, dx);
        }
    }
}
