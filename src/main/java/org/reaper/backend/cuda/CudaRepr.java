package org.reaper.backend.cuda;

import org.reaper.backend.KernelChecks;
import org.reaper.backend.OrthoOptions;
import org.reaper.tensor.Tensor;

/** RePr on the device: row scaling for masks, and orthogonality scores via a per-layer Gram matrix. */
final class CudaRepr {
    private final CudaLauncher l;
    private final CudaMemoryPool pool;

    CudaRepr(CudaLauncher l, CudaMemoryPool pool) { this.l = l; this.pool = pool; }

    void scaleRows(Tensor t, Tensor rowScale) {
        int rows = KernelChecks.scaleRows(t, rowScale);
        if (rows == 0 || t.numel() == 0) return;
        l.launchElements(CudaKernels.SCALE_ROWS, t.numel(), t, rowScale, rows, t.numel() / rows);
    }

    void orthoScores(Tensor w, OrthoOptions o, Tensor scores) {
        int j = KernelChecks.orthoScores(w, o, scores);
        if (j == 0) return;
        int d = w.numel() / j;
        boolean perFilter = o.normalization() == OrthoOptions.Normalization.PER_FILTER;
        try (DeviceScratch sumsq = new DeviceScratch(pool, (long) j * Double.BYTES);
             DeviceScratch gram = new DeviceScratch(pool, (long) j * j * Double.BYTES)) {
            l.launch(CudaKernels.REPR_ROW_SUMSQ, j, 1, 1, 128, w, j, d, sumsq.ptr);
            l.launch(CudaKernels.REPR_FILTER_GRAM, CudaLauncher.blocksFor((long) j * j, 8), 1, 1, 256, w, sumsq.ptr, j, d,
                    perFilter ? 1 : 0, gram.ptr);
            l.launch(CudaKernels.REPR_ORTHO_SCORES, CudaLauncher.blocksFor(j, 128), 1, 1, 128, gram.ptr, j, o.absPerElement() ? 1 : 0,
                    scores);
        }
    }

}
