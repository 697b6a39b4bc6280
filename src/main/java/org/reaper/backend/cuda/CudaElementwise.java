package org.reaper.backend.cuda;

import static org.reaper.backend.KernelChecks.binary;
import static org.reaper.backend.KernelChecks.notNull;
import static org.reaper.backend.KernelChecks.sameShape;

import org.reaper.tensor.Tensor;

/** Elementwise ops, ReLU, and deterministic double-precision sums (fixed grid, two stages). */
final class CudaElementwise {
    private static final int REDUCE_BLOCKS = 256;

    private final CudaLauncher l;
    private final CudaMemoryPool pool;

    CudaElementwise(CudaLauncher l, CudaMemoryPool pool) { this.l = l; this.pool = pool; }

    void fill(Tensor t, float v) {
        notNull("fill", "t", t);
        l.launchElements(CudaKernels.EW_FILL, t.numel(), t, v, t.numel());
    }

    void copy(Tensor src, Tensor dst) {
        sameShape("copy", "dst", src, dst);
        if (src.storage() == dst.storage()) return;
        l.launchElements(CudaKernels.EW_COPY, src.numel(), src, dst, src.numel());
    }

    void add(Tensor a, Tensor b, Tensor out) {
        binary("add", a, b, out);
        l.launchElements(CudaKernels.EW_ADD, a.numel(), a, b, out, a.numel());
    }

    /** relu(a + b) in one pass (a residual join and its ReLU): the same bits as add then relu. */
    void addRelu(Tensor a, Tensor b, Tensor out) {
        binary("addRelu", a, b, out);
        l.launchElements(CudaKernels.EW_ADD_RELU, a.numel(), a, b, out, a.numel());
    }

    void mul(Tensor a, Tensor b, Tensor out) {
        binary("mul", a, b, out);
        l.launchElements(CudaKernels.EW_MUL, a.numel(), a, b, out, a.numel());
    }

    void scale(Tensor a, float s, Tensor out) {
        sameShape("scale", "out", a, out);
        l.launchElements(CudaKernels.EW_SCALE, a.numel(), a, s, out, a.numel());
    }

    void axpy(float alpha, Tensor x, Tensor y) {
        sameShape("axpy", "y", x, y);
        l.launchElements(CudaKernels.EW_AXPY, x.numel(), alpha, x, y, x.numel());
    }

    void relu(Tensor x, Tensor y) {
        sameShape("relu", "y", x, y);
        l.launchElements(CudaKernels.RELU_FWD, x.numel(), x, y, x.numel());
    }

    void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        sameShape("reluBackward", "dy", y, dy);
        sameShape("reluBackward", "dx", y, dx);
        l.launchElements(CudaKernels.RELU_BWD, y.numel(), y, dy, dx, y.numel());
    }

    double sum(Tensor t, boolean squared) {
        notNull(squared ? "sumOfSquares" : "sum", "t", t);
        if (t.numel() == 0) return 0;
        try (DeviceScratch s = new DeviceScratch(pool, (REDUCE_BLOCKS + 1L) * Double.BYTES)) {
            l.launch(CudaKernels.REDUCE_SUM_PARTIALS, REDUCE_BLOCKS, 1, 1, CudaLauncher.BLOCK, t, t.numel(), squared ? 1 : 0, s.ptr);
            l.launch(CudaKernels.REDUCE_SUM_FINISH, 1, 1, 1, CudaLauncher.BLOCK, s.ptr, REDUCE_BLOCKS,
                    s.ptr.withByteOffset((long) REDUCE_BLOCKS * Double.BYTES));
            return s.downloadDouble(REDUCE_BLOCKS);
        }
    }
}
