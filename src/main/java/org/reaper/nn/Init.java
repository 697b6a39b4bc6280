package org.reaper.nn;

import org.reaper.backend.Backend;
import org.reaper.rng.Philox;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Tensor;

/**
 * Initialises every Conv2d, Linear and BatchNorm2d of a model, in registration order, with draws
 * from the run's RandomStream (each tensor reserves its own Philox blocks), so that the same seed
 * initialises identically on every backend.
 */
public final class Init {
    private Init() {}

    public static void initialize(Module model, InitScheme scheme, RandomStream rng) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof Conv2d c) initLayer(c.backend(), scheme, rng, c.weight().value(),
                    c.bias() == null ? null : c.bias().value(), c.fanIn(), c.fanOut());
            else if (m instanceof Linear l) initLayer(l.backend(), scheme, rng, l.weight().value(),
                    l.bias() == null ? null : l.bias().value(), l.inFeatures(), l.outFeatures());
            else if (m instanceof BatchNorm2d bn) resetBatchNorm(bn);
        }
    }

    /** Fills one conv or linear layer's weight (and bias, if any) by the scheme. */
    public static void initLayer(Backend b, InitScheme scheme, RandomStream rng, Tensor weight, Tensor bias, int fanIn, int fanOut) {
        switch (scheme) {
            case PYTORCH_DEFAULT -> {
                float bound = (float) (1.0 / Math.sqrt(fanIn));
                uniform(b, rng, weight, bound);
                if (bias != null) uniform(b, rng, bias, bound);
            }
            case HE_NORMAL -> {
                normal(b, rng, weight, (float) Math.sqrt(2.0 / fanOut));
                if (bias != null) b.fill(bias, 0f);
            }
        }
    }

    /** gamma 1, beta 0, running mean 0, running var 1, num_batches_tracked 0. */
    public static void resetBatchNorm(BatchNorm2d bn) {
        Backend b = bn.backend();
        b.fill(bn.weight().value(), 1f);
        b.fill(bn.bias().value(), 0f);
        b.fill(bn.runningMean(), 0f);
        b.fill(bn.runningVar(), 1f);
        b.fill(bn.numBatchesTracked(), 0f);
    }

    /** U(-bound, bound) from the next blocks of rng. */
    public static void uniform(Backend b, RandomStream rng, Tensor t, float bound) {
        long offset = rng.reserve(Philox.blocksForUniform(t.numel()));
        b.fillUniform(t, -bound, bound, rng.seed(), offset);
    }

    /** N(0, std^2) from the next blocks of rng. */
    public static void normal(Backend b, RandomStream rng, Tensor t, float std) {
        long offset = rng.reserve(Philox.blocksForNormal(t.numel()));
        b.fillNormal(t, 0f, std, rng.seed(), offset);
    }
}
