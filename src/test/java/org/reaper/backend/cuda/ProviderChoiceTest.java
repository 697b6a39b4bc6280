package org.reaper.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reaper.ReaperException;

/**
 * The per-shape provider choice (own kernels vs cuBLAS / cuDNN) and the descriptor cache, without a
 * GPU: fake candidates with known costs stand in for the libraries, which need one to run.
 */
class ProviderChoiceTest {
    /** A fake clock: each candidate "takes" its cost in milliseconds. */
    private final Map<Runnable, Double> costs = new HashMap<>();
    private final ProviderChoice.Timer timer = r -> { r.run(); return costs.getOrDefault(r, 1.0); };

    private ProviderChoice.Candidate candidate(String name, double ms, List<String> calls) {
        Runnable r = () -> calls.add(name);
        costs.put(r, ms);
        return new ProviderChoice.Candidate(name, r);
    }

    @Test
    void autoMeasuresOncePerShapeAndKeepsTheFastest() {
        ProviderChoice<String> c = new ProviderChoice<>("conv", "auto", List.of("cudnn"), timer);
        List<String> calls = new ArrayList<>();
        List<ProviderChoice.Candidate> fastLibrary = List.of(candidate("own", 3.0, calls), candidate("cudnn", 1.0, calls));
        assertEquals("cudnn", c.run("fwd 32x32", fastLibrary));
        assertEquals(List.of("own", "own", "own", "own", "cudnn", "cudnn", "cudnn", "cudnn", "cudnn"), calls, "warm-up + 3 timed runs each, then the real run");
        calls.clear();
        assertEquals("cudnn", c.run("fwd 32x32", fastLibrary));
        assertEquals(List.of("cudnn"), calls, "a known shape runs its provider once, unmeasured");
        List<ProviderChoice.Candidate> fastOwn = List.of(candidate("own", 0.5, calls), candidate("cudnn", 2.0, calls));
        assertEquals("own", c.run("fwd 8x8", fastOwn));
        assertEquals(Map.of("cudnn", 1, "own", 1), c.wins());
    }

    @Test
    void tiesGoToReapersOwnKernels() {
        ProviderChoice<String> c = new ProviderChoice<>("gemm", null, List.of("cublas"), timer);
        List<String> calls = new ArrayList<>();
        assertEquals("own", c.run("NN 64x64x64", List.of(candidate("own", 1.0, calls), candidate("cublas", 1.0, calls))));
        assertEquals("auto", c.setting());
    }

    @Test
    void aForcedProviderIsUsedWithoutMeasuringAndFallsBackWhenAbsent() {
        List<String> calls = new ArrayList<>();
        ProviderChoice<String> forced = new ProviderChoice<>("conv", "cudnn", List.of("cudnn"), r -> { throw new AssertionError("timed"); });
        assertEquals("cudnn", forced.run("k", List.of(candidate("own", 1, calls), candidate("cudnn", 9, calls))));
        assertEquals(List.of("cudnn"), calls);
        calls.clear();
        assertEquals("own", forced.run("k2", List.of(candidate("own", 1, calls))), "cuDNN did not load: own kernels");
        ProviderChoice<String> own = new ProviderChoice<>("conv", "own", List.of("cudnn"), r -> { throw new AssertionError("timed"); });
        assertEquals("own", own.run("k", List.of(candidate("own", 9, calls), candidate("cudnn", 1, calls))));
    }

    @Test
    void unknownSettingsAreOneClearLine() {
        ReaperException e = assertThrows(ReaperException.class, () -> new ProviderChoice<>("conv", "cudnn9", List.of("cudnn"), timer));
        assertEquals("unknown provider 'cudnn9' for -Dreaper.cuda.conv; use auto, own or cudnn", e.getMessage());
    }

    @Test
    void descriptorsAreMadeOncePerShapeAndDestroyedTogether() {
        AtomicInteger made = new AtomicInteger();
        List<String> destroyed = new ArrayList<>();
        DescriptorCache<String, String> cache = new DescriptorCache<>(k -> { made.incrementAndGet(); return "desc:" + k; }, destroyed::add);
        assertEquals("desc:a", cache.get("a"));
        assertEquals("desc:a", cache.get("a"));
        assertEquals("desc:b", cache.get("b"));
        assertEquals(2, made.get());
        assertEquals(2, cache.created());
        cache.close();
        assertEquals(List.of("desc:a", "desc:b"), destroyed);
        cache.close();
        assertEquals(2, destroyed.size(), "closing twice destroys nothing twice");
        assertThrows(IllegalStateException.class, () -> cache.get("c"));
        assertTrue(cache.size() == 0);
    }
}
