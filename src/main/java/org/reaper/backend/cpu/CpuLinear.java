package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuLinear {
    private CpuLinear() {}

    static void forward(CpuParallel par, Tensor x, Tensor w, Tensor bias, Tensor y) { throw new UnsupportedOperationException("CpuLinear: not implemented yet"); }
    static void backward(CpuParallel par, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) { throw new UnsupportedOperationException("CpuLinear: not implemented yet"); }
}
