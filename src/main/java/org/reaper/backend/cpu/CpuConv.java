package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuConv {
    private CpuConv() {}

    static void forward(CpuParallel par, CpuMemoryPool pool, Tensor x, Tensor w, Tensor bias, Tensor y, ConvGeometry g) { throw new UnsupportedOperationException("CpuConv: not implemented yet"); }
    static void backwardData(CpuParallel par, CpuMemoryPool pool, Tensor dy, Tensor w, Tensor dx, ConvGeometry g) { throw new UnsupportedOperationException("CpuConv: not implemented yet"); }
    static void backwardFilter(CpuParallel par, CpuMemoryPool pool, Tensor x, Tensor dy, Tensor dw, Tensor db, ConvGeometry g) { throw new UnsupportedOperationException("CpuConv: not implemented yet"); }
}
