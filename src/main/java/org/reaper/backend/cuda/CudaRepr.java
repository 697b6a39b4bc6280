package org.reaper.backend.cuda;

import org.reaper.backend.KernelChecks;
import org.reaper.backend.NullSpaceReinit;
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


    void gatherRows(Tensor src, int[] rows, Tensor dst) {
        int len = KernelChecks.rowMove("gatherRows", src, rows, dst);
        if (rows.length == 0 || len == 0) return;
        try (DeviceScratch idx = DeviceScratch.ofInts(pool, rows)) {
            l.launchElements(CudaKernels.GATHER_ROWS, (long) rows.length * len, src, idx.ptr, rows.length, len, dst);
        }
    }

    void scatterRows(Tensor src, int[] rows, Tensor dst) {
        int len = KernelChecks.rowMove("scatterRows", dst, rows, src);
        if (rows.length == 0 || len == 0) return;
        try (DeviceScratch idx = DeviceScratch.ofInts(pool, rows)) {
            l.launchElements(CudaKernels.SCATTER_ROWS, (long) rows.length * len, src, idx.ptr, rows.length, len, dst);
        }
    }

    /** One block per layer (see repr.cu); only the index lists go up and a few numbers per new filter come back. */
    NullSpaceReinit.Result reinitNullSpace(Tensor w, Tensor bias, NullSpaceReinit.Request q) {
        int d = KernelChecks.reinitNullSpace(w, bias, q);
        int j = w.dim(0), m = q.dropped().length, nKept = q.keptOrder().length;
        if (m == 0) return new NullSpaceReinit.Result(0, 0, 0, new double[0], new double[0], new double[0]);
        long basisRows = (long) nKept + 2L * m;
        try (DeviceScratch kept = DeviceScratch.ofInts(pool, q.keptOrder()); DeviceScratch dropped = DeviceScratch.ofInts(pool, q.dropped());
             DeviceScratch basis = new DeviceScratch(pool, basisRows * d * Double.BYTES);
             DeviceScratch v = new DeviceScratch(pool, 2L * d * Double.BYTES);
             DeviceScratch dots = new DeviceScratch(pool, basisRows * Double.BYTES);
             DeviceScratch counts = new DeviceScratch(pool, 3L * Integer.BYTES);
             DeviceScratch report = new DeviceScratch(pool, 3L * m * Double.BYTES)) {
            l.launch(CudaKernels.REPR_REINIT_NULL_SPACE, 1, 1, 1, 256, w, bias, j, d, kept.ptr, nKept, q.oldRows(), dropped.ptr, m,
                    q.budget(), q.scale().ordinal(), q.target(), q.seed(), q.offset(), basis.ptr, v.ptr, dots.ptr, counts.ptr, report.ptr);
            int[] c = counts.downloadInts(3);
            double[] r = report.downloadDoubles(3 * m);
            double[] maxKept = new double[m], cosOld = new double[m], norms = new double[m];
            for (int i = 0; i < m; i++) { maxKept[i] = r[3 * i]; cosOld[i] = r[3 * i + 1]; norms[i] = r[3 * i + 2]; }
            return new NullSpaceReinit.Result(c[0], c[1], Integer.toUnsignedLong(c[2]), maxKept, cosOld, norms);
        }
    }
}
