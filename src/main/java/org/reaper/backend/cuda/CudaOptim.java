package org.reaper.backend.cuda;

import java.util.List;
import jcuda.driver.CUdeviceptr;
import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/**
 * Fused SGD and Adam updates, mirroring the CPU arithmetic: one kernel per parameter tensor, or for SGD one
 * kernel for a whole parameter list (its pointers in a {@link DeviceTensorTable}).
 */
final class CudaOptim {
    private static final CUdeviceptr NULL = new CUdeviceptr();
    private final CudaLauncher l;
    private final DeviceTensorTable sgdTable;

    CudaOptim(CudaLauncher l, CudaMemoryPool pool) {
        this.l = l;
        this.sgdTable = new DeviceTensorTable(pool);
    }

    void sgd(Tensor p, Tensor g, Tensor buf, float lr, float momentum, float dampening, float wd, boolean nesterov, boolean first) {
        KernelChecks.sgdStep(p, g, buf, momentum);
        l.launchElements(CudaKernels.SGD_STEP, p.numel(), p, g, momentum != 0f ? buf : null, p.numel(), lr, momentum, dampening, wd,
                nesterov ? 1 : 0, first ? 1 : 0);
    }

    /** {@link #sgd} on every tensor of the lists in one launch (element arithmetic shared with sgd_step: the same floats). */
    void sgdList(List<Tensor> ps, List<Tensor> gs, List<Tensor> bufs, boolean[] first, float lr, float momentum, float dampening,
                 float wd, boolean nesterov) {
        KernelChecks.sgdSteps(ps, gs, bufs, first, momentum);
        int k = ps.size();
        if (k == 0) return;
        CUdeviceptr[] pointers = new CUdeviceptr[3 * k];   // p, g, buf of tensor i at i, k + i, 2k + i
        long[] meta = new long[2 * k];                     // tensor i's end at i, its first-step flag at k + i
        long total = 0;
        for (int i = 0; i < k; i++) {
            Tensor p = ps.get(i), g = gs.get(i), buf = momentum != 0f ? bufs.get(i) : null;
            KernelChecks.sgdStep(p, g, buf, momentum);
            pointers[i] = CudaStorage.ptr(p);
            pointers[k + i] = CudaStorage.ptr(g);
            pointers[2 * k + i] = buf == null ? NULL : CudaStorage.ptr(buf);
            total += p.numel();
            meta[i] = total;
            meta[k + i] = first[i] ? 1 : 0;
        }
        sgdTable.hold(pointers, meta);
        l.launchElements(CudaKernels.SGD_STEP_LIST, total, sgdTable.pointers(), sgdTable.longs(), k, total, lr, momentum, dampening, wd,
                nesterov ? 1 : 0);
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
