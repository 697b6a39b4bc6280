package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Tensor;

/** STUB: to be replaced by the real kernels. */
final class CpuLoss {
    private CpuLoss() {}

    static void softmaxCrossEntropy(CpuParallel par, Tensor logits, Tensor labels, float s, Tensor probs, Tensor loss) { throw new UnsupportedOperationException("CpuLoss: not implemented yet"); }
    static void backward(CpuParallel par, Tensor probs, Tensor labels, float s, float scale, Tensor dlogits) { throw new UnsupportedOperationException("CpuLoss: not implemented yet"); }
    static int countCorrect(Tensor logits, Tensor labels) { throw new UnsupportedOperationException("CpuLoss: not implemented yet"); }
}
