package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuElementwise {
    private CpuElementwise() {}

    static void fill(CpuParallel par, Tensor t, float v) { throw new UnsupportedOperationException("CpuElementwise: not implemented yet"); }
    static void copy(CpuParallel par, Tensor src, Tensor dst) { throw new UnsupportedOperationException("CpuElementwise: not implemented yet"); }
    static void add(CpuParallel par, Tensor a, Tensor b, Tensor out) { throw new UnsupportedOperationException("CpuElementwise: not implemented yet"); }
    static void mul(CpuParallel par, Tensor a, Tensor b, Tensor out) { throw new UnsupportedOperationException("CpuElementwise: not implemented yet"); }
    static void scale(CpuParallel par, Tensor a, float s, Tensor out) { throw new UnsupportedOperationException("CpuElementwise: not implemented yet"); }
    static void axpy(CpuParallel par, float alpha, Tensor x, Tensor y) { throw new UnsupportedOperationException("CpuElementwise: not implemented yet"); }
    static double sum(CpuParallel par, Tensor t) { throw new UnsupportedOperationException("CpuElementwise: not implemented yet"); }
    static double sumOfSquares(CpuParallel par, Tensor t) { throw new UnsupportedOperationException("CpuElementwise: not implemented yet"); }
}
