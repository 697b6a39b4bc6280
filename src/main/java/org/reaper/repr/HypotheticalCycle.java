package org.reaper.repr;

import java.util.LinkedHashMap;
import java.util.Map;
import org.reaper.backend.Backend;
import org.reaper.io.HostTensor;
import org.reaper.models.Model;
import org.reaper.models.Models;
import org.reaper.nn.InitScheme;
import org.reaper.nn.PrunableConv;
import org.reaper.rng.RandomStream;
import org.reaper.train.ModelState;

/**
 * One RePr re-initialisation applied to saved weights that never went through a cycle (a standard run's final
 * checkpoint): the model is rebuilt, the given filters are re-initialised by the run's method
 * ({@link OrthogonalReinit}) straight away (no S2 phase), and the conv weights after it are returned by tensor name.
 */
public final class HypotheticalCycle {
    private static final long RNG_LABEL = 0xE8A1_0000L;

    private HypotheticalCycle() {}

    /** {@code dropped}: tensor name (e.g. "features.0.weight") to filter indices. */
    public static Map<String, HostTensor> reinitialised(Backend b, Map<String, HostTensor> weights, String model, int classes, String init,
                                                        ReprOptions o, Map<String, int[]> dropped, long seed, String source) {
        InitScheme scheme = InitScheme.parse(init);
        RandomStream rng = new RandomStream(seed);
        Model m = Models.create(model, b, rng, classes, scheme);
        ModelState.load(m, weights, source);
        OrthogonalReinit reinit = OrthogonalReinit.of(o, scheme);
        RandomStream draws = rng.fork(RNG_LABEL);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (PrunableConv pc : m.prunableConvs()) {
            String name = pc.name() + ".weight";
            int[] idx = dropped.getOrDefault(name, new int[0]);
            float[] w = b.toHost(pc.conv().weight().value());
            int d = pc.conv().fanIn();
            float[][] old = new float[idx.length][d];
            for (int i = 0; i < idx.length; i++) System.arraycopy(w, idx[i] * d, old[i], 0, d);
            reinit.apply(b, pc.name(), pc.conv(), idx, old, draws);
            out.put(name, HostTensor.f32(pc.conv().weight().value().shape().dims(), b.toHost(pc.conv().weight().value())));
        }
        return out;
    }
}
