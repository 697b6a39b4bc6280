package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuActivation {
    private CpuActivation() {}

    static void relu(CpuParallel par, Tensor x, Tensor y) { throw new UnsupportedOperationException("CpuActivation: not implemented yet"); }
    static void reluBackward(CpuParallel par, Tensor y, Tensor dy, Tensor dx) { throw new UnsupportedOperationException("CpuActivation: not implemented yet"); }
}
