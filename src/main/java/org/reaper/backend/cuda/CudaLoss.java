package org.reaper.backend.cuda;

import jcuda.driver.JCudaDriver;
import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/**
 * Softmax cross-entropy and accuracy. Labels stay on the device, so an invalid label cannot be
 * reported as the CPU backend does: its row's loss becomes NaN and it never counts as correct.
 */
final class CudaLoss {
    private static final int ROWS_PER_BLOCK = 8;

    private final CudaLauncher l;
    private final CudaMemoryPool pool;

    CudaLoss(CudaLauncher l, CudaMemoryPool pool) { this.l = l; this.pool = pool; }

    void forward(Tensor logits, Tensor labels, float s, Tensor probs, Tensor loss) {
        KernelChecks.softmaxCrossEntropy(logits, labels, s, probs, loss);
        int n = logits.dim(0), c = logits.dim(1);
        l.launch(CudaKernels.SOFTMAX_XENT_FWD, CudaLauncher.blocksFor(n, ROWS_PER_BLOCK), 1, 1, 32 * ROWS_PER_BLOCK,
                logits, labels, n, c, s, probs, loss);
    }

    void backward(Tensor probs, Tensor labels, float s, float scale, Tensor dlogits) {
        KernelChecks.softmaxCrossEntropyBackward(probs, labels, s, dlogits);
        int n = probs.dim(0), c = probs.dim(1);
        l.launchElements(CudaKernels.SOFTMAX_XENT_BWD, (long) n * c, probs, labels, n, c, s, scale, dlogits);
    }

    int countCorrect(Tensor logits, Tensor labels) {
        KernelChecks.countCorrect(logits, labels);
        int n = logits.dim(0), c = logits.dim(1);
        if (n == 0) return 0;
        try (DeviceScratch count = new DeviceScratch(pool, Integer.BYTES)) {
            l.context().makeCurrent();
            JCudaDriver.cuMemsetD32Async(count.ptr, 0, 1, l.context().stream);
            l.launch(CudaKernels.COUNT_CORRECT, CudaLauncher.blocksFor(n, 256), 1, 1, 256, logits, labels, n, c, count.ptr);
            return count.downloadInt(0);
        }
    }

}
