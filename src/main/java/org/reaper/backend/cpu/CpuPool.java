package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuPool {
    private CpuPool() {}

    static void maxForward(CpuParallel par, Tensor x, Tensor y, PoolGeometry g) { throw new UnsupportedOperationException("CpuPool: not implemented yet"); }
    static void maxBackward(CpuParallel par, Tensor x, Tensor dy, Tensor dx, PoolGeometry g) { throw new UnsupportedOperationException("CpuPool: not implemented yet"); }
    static void avgForward(CpuParallel par, Tensor x, Tensor y, PoolGeometry g) { throw new UnsupportedOperationException("CpuPool: not implemented yet"); }
    static void avgBackward(CpuParallel par, Tensor dy, Tensor dx, PoolGeometry g) { throw new UnsupportedOperationException("CpuPool: not implemented yet"); }
}
