package org.reaper.backend.cuda;

import static org.reaper.backend.cuda.CudaChecks.requireShape;

import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** Max / average pooling; the backward passes gather per input cell (no atomics, deterministic). */
final class CudaPool {
    private final CudaLauncher l;

    CudaPool(CudaLauncher l) { this.l = l; }

    /** The PoolDims struct of pool.cu. */
    static int[] dims(PoolGeometry g) {
        return new int[] {g.batch(), g.channels(), g.inH(), g.inW(), g.kernelH(), g.kernelW(), g.strideH(), g.strideW(),
                g.padH(), g.padW(), g.outH(), g.outW()};
    }

    void maxForward(Tensor x, Tensor y, PoolGeometry g) {
        check("maxPool2dForward", x, "y", y, g);
        l.launchElements(CudaKernels.MAXPOOL2D_FWD, y.numel(), x, y, dims(g));
    }

    void maxBackward(Tensor x, Tensor dy, Tensor dx, PoolGeometry g) {
        check("maxPool2dBackward", x, "dy", dy, g);
        requireShape("maxPool2dBackward", "dx", g.inputShape(), dx);
        l.launchElements(CudaKernels.MAXPOOL2D_BWD, dx.numel(), x, dy, dx, dims(g));
    }

    void avgForward(Tensor x, Tensor y, PoolGeometry g) {
        check("avgPool2dForward", x, "y", y, g);
        l.launchElements(CudaKernels.AVGPOOL2D_FWD, y.numel(), x, y, dims(g));
    }

    void avgBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        if (g == null) throw new IllegalArgumentException("avgPool2dBackward: geometry is null");
        requireShape("avgPool2dBackward", "dy", g.outputShape(), dy);
        requireShape("avgPool2dBackward", "dx", g.inputShape(), dx);
        l.launchElements(CudaKernels.AVGPOOL2D_BWD, dx.numel(), dy, dx, dims(g));
    }

    private static void check(String op, Tensor x, String outName, Tensor out, PoolGeometry g) {
        if (g == null) throw new IllegalArgumentException(op + ": geometry is null");
        requireShape(op, "x", g.inputShape(), x);
        requireShape(op, outName, g.outputShape(), out);
    }
}
