package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuBatchNorm {
    private CpuBatchNorm() {}

    static void train(CpuParallel par, Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) { throw new UnsupportedOperationException("CpuBatchNorm: not implemented yet"); }
    static void eval(CpuParallel par, Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float eps, Tensor y) { throw new UnsupportedOperationException("CpuBatchNorm: not implemented yet"); }
    static void backward(CpuParallel par, Tensor x, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) { throw new UnsupportedOperationException("CpuBatchNorm: not implemented yet"); }
}
