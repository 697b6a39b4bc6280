package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuRepr {
    private CpuRepr() {}

    static void scaleRows(CpuParallel par, Tensor t, Tensor rowScale) { throw new UnsupportedOperationException("CpuRepr: not implemented yet"); }
    static void orthoScores(CpuParallel par, Tensor w, OrthoOptions o, Tensor scores) { throw new UnsupportedOperationException("CpuRepr: not implemented yet"); }
}
