package org.reaper.backend.cuda;

import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/** Fused SGD and Adam updates (one kernel per parameter tensor), mirroring the CPU arithmetic. */
final class CudaOptim {
    private final CudaLauncher l;

    CudaOptim(CudaLauncher l) { this.l = l; }

    void sgd(Tensor p, Tensor g, Tensor buf, float lr, float momentum, float dampening, float wd, boolean nesterov, boolean first) {
        KernelChecks.sgdStep(p, g, buf, momentum);
        l.launchElements(CudaKernels.SGD_STEP, p.numel(), p, g, momentum != 0f ? buf : null, p.numel(), lr, momentum, dampening, wd,
                nesterov ? 1 : 0, first ? 1 : 0);
    }

    void adam(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float b1, float b2, float eps, float wd, boolean decoupled, int step) {
        KernelChecks.adamStep(p, g, m, v, step);
        float stepSize = (float) (lr / (1.0 - Math.pow(b1, step)));
        float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(b2, step));
        float decay = decoupled ? 1f - lr * wd : 1f;
        float l2 = decoupled ? 0f : wd;
        l.launchElements(CudaKernels.ADAM_STEP, p.numel(), p, g, m, v, p.numel(), stepSize, b1, b2, eps, decay, l2, sqrtBc2);
    }
}
