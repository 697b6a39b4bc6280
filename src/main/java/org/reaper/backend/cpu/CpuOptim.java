package org.reaper.backend.cpu;

import static org.reaper.backend.cpu.CpuElementwise.GRAIN;

import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/** Fused, in-place optimizer updates with PyTorch's semantics (torch.optim.SGD, Adam, AdamW). */
final class CpuOptim {
    private CpuOptim() {}

    static void sgd(CpuParallel par, Tensor p, Tensor g, Tensor buf, float lr, float momentum, float dampening, float wd,
                    boolean nesterov, boolean first) {
        KernelChecks.sgdStep(p, g, buf, momentum);
        float[] pa = CpuStorage.data(p), ga = CpuStorage.data(g);
        if (momentum == 0f) {
            par.forRange(p.numel(), GRAIN, (s, e) -> {
                for (int i = s; i < e; i++) {
                    float d = wd != 0f ? ga[i] + wd * pa[i] : ga[i];
                    pa[i] -= lr * d;
                }
            });
            return;
        }
        float[] ba = CpuStorage.data(buf);
        float keep = 1f - dampening;
        par.forRange(p.numel(), GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) {
                float d = wd != 0f ? ga[i] + wd * pa[i] : ga[i];
                float b = first ? d : momentum * ba[i] + keep * d;
                ba[i] = b;
                float step = nesterov ? d + momentum * b : b;
                pa[i] -= lr * step;
            }
        });
    }

    static void adam(CpuParallel par, Tensor p, Tensor g, Tensor m, Tensor v, float lr, float b1, float b2, float eps,
                     float wd, boolean decoupled, int step) {
        KernelChecks.adamStep(p, g, m, v, step);
        float[] pa = CpuStorage.data(p), ga = CpuStorage.data(g), ma = CpuStorage.data(m), va = CpuStorage.data(v);
        float stepSize = (float) (lr / (1.0 - Math.pow(b1, step)));
        float sqrtBc2 = (float) Math.sqrt(1.0 - Math.pow(b2, step));
        float decay = decoupled ? 1f - lr * wd : 1f;
        float l2 = decoupled ? 0f : wd;
        float c1 = 1f - b1, c2 = 1f - b2;
        par.forRange(p.numel(), GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) {
                float pi = pa[i] * decay;
                float gi = l2 != 0f ? ga[i] + l2 * pi : ga[i];
                float mi = b1 * ma[i] + c1 * gi;
                float vi = b2 * va[i] + c2 * gi * gi;
                ma[i] = mi;
                va[i] = vi;
                pa[i] = pi - stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
            }
        });
    }
}
