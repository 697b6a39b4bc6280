package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuRandom {
    private CpuRandom() {}

    static void fillUniform(CpuParallel par, Tensor t, float lo, float hi, long seed, long offset) { throw new UnsupportedOperationException("CpuRandom: not implemented yet"); }
    static void fillNormal(CpuParallel par, Tensor t, float mean, float std, long seed, long offset) { throw new UnsupportedOperationException("CpuRandom: not implemented yet"); }
    static void dropout(CpuParallel par, Tensor x, float p, long seed, long offset, Tensor mask, Tensor y) { throw new UnsupportedOperationException("CpuRandom: not implemented yet"); }
}
