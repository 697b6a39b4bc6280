package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuGemm {
    private CpuGemm() {}

    static void gemm(CpuParallel par, boolean ta, boolean tb, float alpha, Tensor a, Tensor b, float beta, Tensor c) { throw new UnsupportedOperationException("CpuGemm: not implemented yet"); }
}
