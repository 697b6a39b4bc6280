package org.reaper.backend.cpu;

import static org.reaper.backend.KernelChecks.sameShape;
import static org.reaper.backend.cpu.CpuElementwise.GRAIN;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.reaper.tensor.Tensor;

/** ReLU forward and backward (NaN propagates forward, as in PyTorch). */
final class CpuActivation {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private CpuActivation() {}

    static void relu(CpuParallel par, Tensor x, Tensor y) {
        sameShape("relu", "y", x, y);
        float[] a = CpuStorage.data(x), b = CpuStorage.data(y);
        par.forRange(x.numel(), GRAIN, (s, e) -> { for (int i = s; i < e; i++) b[i] = Math.max(a[i], 0f); });
    }

    static void reluBackward(CpuParallel par, Tensor y, Tensor dy, Tensor dx) {
        sameShape("reluBackward", "dy", y, dy);
        sameShape("reluBackward", "dx", y, dx);
        float[] ya = CpuStorage.data(y), g = CpuStorage.data(dy), d = CpuStorage.data(dx);
        par.forRange(y.numel(), GRAIN, (s, e) -> {
            // a data-dependent select: C2 does not vectorise it and the branch mispredicts, so use the Vector API
            int i = s;
            FloatVector zero = FloatVector.zero(F);
            for (int end = s + F.loopBound(e - s); i < end; i += F.length()) {
                VectorMask<Float> positive = FloatVector.fromArray(F, ya, i).compare(VectorOperators.GT, 0f);
                zero.blend(FloatVector.fromArray(F, g, i), positive).intoArray(d, i);
            }
            for (; i < e; i++) d[i] = ya[i] > 0f ? g[i] : 0f;
        });
    }
}
