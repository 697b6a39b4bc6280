package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuOptim {
    private CpuOptim() {}

    static void sgd(CpuParallel par, Tensor p, Tensor g, Tensor buf, float lr, float momentum, float dampening, float wd, boolean nesterov, boolean first) { throw new UnsupportedOperationException("CpuOptim: not implemented yet"); }
    static void adam(CpuParallel par, Tensor p, Tensor g, Tensor m, Tensor v, float lr, float b1, float b2, float eps, float wd, boolean decoupled, int step) { throw new UnsupportedOperationException("CpuOptim: not implemented yet"); }
}
