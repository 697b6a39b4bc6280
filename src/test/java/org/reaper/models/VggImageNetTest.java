package org.reaper.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reaper.ReaperException;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.nn.InitScheme;
import org.reaper.nn.PrunableConv;
import org.reaper.repr.FilterRanker;
import org.reaper.repr.LayerScores;
import org.reaper.repr.RankInput;
import org.reaper.repr.RankLayer;
import org.reaper.repr.ReprOptions;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * torchvision's vgg16 as {@code vgg16-imagenet}: the published parameter count, every state-dict name and shape
 * equal to torchvision's (src/test/resources/torchvision/vgg16_keys.txt), and eval-mode logits equal to PyTorch's for
 * the same weights (benchmarks/torchvision_fixture.py fills both sides from one integer-hash formula and dumps
 * float64 logits at 64 px, where the features end at 2x2 and adaptive pooling's bins overlap).
 */
class VggImageNetTest {
    /**
     * float32 here vs float64 in PyTorch through 16 layers, sums of up to 25,088 terms: |difference| <= 1e-3 x the
     * largest |logit|. The fixture's two images differ by ~16% of it, and replacing adaptive pooling by nearest
     * upsampling changes the logits by ~19%: the tolerance is two orders of magnitude below what a wrong layer does.
     */
    static final double RELATIVE_TOLERANCE = 1e-3;
    static final Backend CPU = new CpuBackend(2);
    static final String NAME = "vgg16-imagenet";
    static final int[] CONV_INDICES = {0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28};

    @Test void parameterCountIsTorchvisionsAndTheCifarVggKeepsItsName() throws Exception {
        Model m = Models.create(NAME, CPU, new RandomStream(1), 1000, InitScheme.PYTORCH_DEFAULT);
        assertEquals(138_357_544L, m.parameterCount());
        assertEquals(fixture().get("vgg16").get("params_1000_classes").asLong(), m.parameterCount(), "the count PyTorch printed");
        assertTrue(Models.create("vgg16", CPU, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT) instanceof VggCifar, "vgg16 stays the CIFAR VGG");
    }

    @Test void namesShapesAndLogitsMatchTorchvision() throws Exception {
        JsonNode fx = fixture().get("vgg16");
        assertEquals("hash", fx.get("fill").asText());
        double gain = fx.get("weight_gain").asDouble();
        Map<String, String> keys = ResNetImageNetTest.keys("vgg16");
        Model m = Models.create(NAME, CPU, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT);
        Map<String, Tensor> state = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> state.put(k, p.value()));
        state.putAll(m.namedBuffers());
        assertEquals(keys.keySet(), state.keySet(), "vgg16 state-dict names");
        int salt = 0;
        for (var e : keys.entrySet()) {
            Tensor t = state.get(e.getKey());
            assertEquals(e.getValue(), t.shape().toString(), e.getKey());
            CPU.upload(fillHash(e.getKey(), t, salt++, gain), t);
        }
        int size = fx.get("input_size").asInt();
        float[] logits = forward(m, size, 2, false);
        JsonNode want = fx.get("logits");
        int classes = want.get(0).size();
        double max = 0;
        for (JsonNode row : want) for (JsonNode v : row) max = Math.max(max, Math.abs(v.asDouble()));
        for (int i = 0; i < 2; i++)
            for (int c = 0; c < classes; c++) {
                double w = want.get(i).get(c).asDouble(), g = logits[i * classes + c];
                assertTrue(Math.abs(w - g) <= RELATIVE_TOLERANCE * max, "vgg16 logit [" + i + "," + c + "]: PyTorch " + w + ", Reaper " + g);
            }
        double between = 0;
        for (int c = 0; c < classes; c++) between = Math.max(between, Math.abs(want.get(0).get(c).asDouble() - want.get(1).get(c).asDouble()));
        assertTrue(between > 20 * RELATIVE_TOLERANCE * max, "the fixture's two images must differ well beyond the tolerance: " + between / max);
    }

    @Test void otherInputSizesWorkAndTooSmallOnesAreRefusedInOneLine() {
        Model m = Models.create(NAME, CPU, new RandomStream(2), 5, InitScheme.HE_NORMAL);
        assertEquals(10, forward(m, 32, 2, false).length, "32 px: features end at 1x1, pooled to 7x7");
        float[] y = forward(m, 100, 1, false);   // 100 px: 3x3 features, uneven bins
        assertEquals(5, y.length);
        for (float v : y) assertTrue(Float.isFinite(v));
        ReaperException e = assertThrows(ReaperException.class, () -> forward(m, 31, 1, false));
        assertTrue(e.getMessage().contains("at least 32x32") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test void dropoutIsTorchvisionsAndDrawsFromTheModelsStream() {
        Model a = Models.create(NAME, CPU, new RandomStream(4), 4, InitScheme.HE_NORMAL);
        Model b = Models.create(NAME, CPU, new RandomStream(4), 4, InitScheme.HE_NORMAL);
        List<String> classifier = new ArrayList<>();
        a.namedModules().forEach((k, mod) -> { if (k.startsWith("classifier.")) classifier.add(k + "=" + mod.getClass().getSimpleName()); });
        assertEquals(List.of("classifier.0=Linear", "classifier.1=ReLU", "classifier.2=Dropout", "classifier.3=Linear",
                "classifier.4=ReLU", "classifier.5=Dropout", "classifier.6=Linear"), classifier);
        float[] first = forward(a, 32, 2, true);
        // the same seed gives the same masks: a model built from the same stream trains on the same numbers
        assertArrayEquals(first, forward(b, 32, 2, true));
        assertNotEquals(Arrays.toString(first), Arrays.toString(forward(a, 32, 2, true)), "training: each step draws new masks");
        assertArrayEquals(forward(a, 32, 2, false), forward(a, 32, 2, false), "evaluation: no dropout");
    }

    @Test void everyConvIsRankedByRepr() {
        Model m = Models.create(NAME, CPU, new RandomStream(5), 10, InitScheme.HE_NORMAL);
        List<PrunableConv> convs = m.prunableConvs();
        List<String> names = new ArrayList<>();
        convs.forEach(p -> names.add(p.name()));
        List<String> want = new ArrayList<>();
        for (int i : CONV_INDICES) want.add("features." + i);
        assertEquals(want, names);
        for (int i = 0; i < convs.size() - 1; i++) assertSame(convs.get(i + 1).conv(), convs.get(i).nextConv(), names.get(i));
        PrunableConv last = convs.get(convs.size() - 1);
        assertEquals(25_088, last.nextLinear().inFeatures());
        assertEquals(49, last.nextLinearSpatial(), "channel c of features.28 feeds classifier.0 inputs 49c .. 49c+48");

        ReprOptions o = new ReprOptions();
        o.schedule = ReprOptions.Schedule.REPR;
        List<RankLayer> layers = new ArrayList<>();
        for (PrunableConv pc : convs) layers.add(new RankLayer(pc.name(), pc.conv().weight().value(), pc));
        List<LayerScores> scores = FilterRanker.of(o).score(RankInput.weightsOnly(CPU, layers, new RandomStream(6)));
        assertEquals(13, scores.size());
        int filters = 0;
        for (int i = 0; i < 13; i++) {
            assertEquals(want.get(i), scores.get(i).layer());
            for (float s : scores.get(i).scores()) assertTrue(Float.isFinite(s) && s >= 0, want.get(i) + " score " + s);
            filters += scores.get(i).filters();
        }
        assertEquals(4224, filters);   // 2x64 + 2x128 + 3x256 + 6x512
    }

    /** Logits [n, classes] of n images of size x size (a sine pattern), training or evaluation mode, without a tape. */
    static float[] forward(Model m, int size, int n, boolean training) {
        float[] x = new float[n * 3 * size * size];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.013);
        m.train(training);
        try (TensorScope scope = TensorScope.open(); AutoCloseable noGrad = Tape.noGrad()) {
            Variable y = m.forward(Variable.constant(CPU.fromHost(x, Shape.of(n, 3, size, size))));
            return CPU.toHost(y.value());
        } catch (ReaperException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The "hash" formula of benchmarks/torchvision_fixture.py (exact in long arithmetic there and here). */
    static float[] fillHash(String name, Tensor t, int salt, double gain) {
        int n = t.numel();
        int fanIn = n / t.shape().dim(0);
        double scale = name.endsWith(".bias") ? 0.1 : Math.sqrt(3.0 * gain / fanIn);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (hashUniform(i, salt) * scale);
        return out;
    }

    static double hashUniform(long i, int salt) {
        long m32 = 0xFFFFFFFFL;
        long x = (i + salt * 0x9E3779B1L) & m32;
        x = (((x >>> 16) ^ x) * 0x45D9F3BL) & m32;
        x = (((x >>> 16) ^ x) * 0x45D9F3BL) & m32;
        x = (x >>> 16) ^ x;
        return x / 4294967296.0 * 2 - 1;
    }

    @Test void hashMatchesTheFixtureFormulaBitForBit() {
        // printed by benchmarks/torchvision_fixture.py's hash_uniform(4, 0) and hash_uniform(3, 7)
        double[] salt0 = {-1.0, -0.6160550531931221, -0.19801108911633492, 0.7477667653001845};
        double[] salt7 = {0.9001510166563094, 0.3688832148909569, 0.7915143272839487};
        for (int i = 0; i < salt0.length; i++) assertEquals(salt0[i], hashUniform(i, 0), 0.0);
        for (int i = 0; i < salt7.length; i++) assertEquals(salt7[i], hashUniform(i, 7), 0.0);
    }

    private static JsonNode fixture() throws Exception {
        return new ObjectMapper().readTree(VggImageNetTest.class.getResourceAsStream("/torchvision/forward.json"));
    }
}
