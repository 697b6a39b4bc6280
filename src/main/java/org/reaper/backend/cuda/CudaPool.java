package org.reaper.backend.cuda;

import org.reaper.backend.KernelChecks;
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

    void maxForward(Tensor x, Tensor y, Tensor argmax, PoolGeometry g) {
        KernelChecks.maxPool2dForward(x, y, argmax, g);
        l.launchElements(CudaKernels.MAXPOOL2D_FWD, y.numel(), x, y, argmax, dims(g));
    }

    void maxBackward(Tensor argmax, Tensor dy, Tensor dx, PoolGeometry g) {
        KernelChecks.maxPool2dBackward(argmax, dy, dx, g);
        l.launchElements(CudaKernels.MAXPOOL2D_BWD, dx.numel(), argmax, dy, dx, dims(g));
    }

    void avgForward(Tensor x, Tensor y, PoolGeometry g) {
        KernelChecks.pool2dForward("avgPool2dForward", x, y, g);
        l.launchElements(CudaKernels.AVGPOOL2D_FWD, y.numel(), x, y, dims(g));
    }

    void avgBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        KernelChecks.avgPool2dBackward(dy, dx, g);
        l.launchElements(CudaKernels.AVGPOOL2D_BWD, dx.numel(), dy, dx, dims(g));
    }

}
