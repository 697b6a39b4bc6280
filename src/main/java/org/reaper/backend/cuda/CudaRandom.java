package org.reaper.backend.cuda;

import static org.reaper.backend.KernelChecks.notNull;

import org.reaper.backend.KernelChecks;
import org.reaper.rng.Philox;
import org.reaper.tensor.Tensor;

/** Philox fills and dropout with the stream layout of {@link Philox} (bit-identical to the CPU backend). */
final class CudaRandom {
    private final CudaLauncher l;

    CudaRandom(CudaLauncher l) { this.l = l; }

    void uniform(Tensor t, float lo, float hi, long seed, long offset) {
        notNull("fillUniform", "t", t);
        l.launchElements(CudaKernels.RNG_UNIFORM, Philox.blocksForUniform(t.numel()), t, t.numel(), lo, hi, seed, offset);
    }

    void normal(Tensor t, float mean, float std, long seed, long offset) {
        notNull("fillNormal", "t", t);
        l.launchElements(CudaKernels.RNG_NORMAL, Philox.blocksForNormal(t.numel()), t, t.numel(), mean, std, seed, offset);
    }

    void dropout(Tensor x, float p, long seed, long offset, Tensor mask, Tensor y) {
        KernelChecks.dropout(x, p, mask, y);
        l.launchElements(CudaKernels.RNG_DROPOUT, Philox.blocksForUniform(x.numel()), x, x.numel(), p, seed, offset, mask, y);
    }
}
