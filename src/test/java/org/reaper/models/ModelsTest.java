package org.reaper.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reaper.ReaperException;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.OpsKit;
import org.reaper.backend.TestBackends;
import org.reaper.nn.InitScheme;
import org.reaper.nn.Parameter;
import org.reaper.nn.PrunableConv;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

class ModelsTest {
    private final Backend b = TestBackends.list().get(TestBackends.list().size() - 1);

    private Model create(String name) { return Models.create(name, b, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT); }

    @Test
    void resnet20HasThePublishedOptionAParameterCount() {
        assertEquals(269_722, create("resnet20").parameterCount());
        // 6n+2 scaling: the deeper presets grow as expected (published: 0.46M, 0.85M, 1.7M)
        assertEquals(464_154, create("resnet32").parameterCount());
        assertEquals(853_018, create("resnet56").parameterCount());
        assertEquals(1_727_962, create("resnet110").parameterCount());
    }

    @Test
    void c3_32HasPaperSizedConvLayersAndPyTorchNames() {
        Model m = create("c3-32");
        Map<String, Parameter> ps = m.namedParameters();
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias",
                "features.4.weight", "features.4.bias", "classifier.weight", "classifier.bias"), new ArrayList<>(ps.keySet()));
        long convWeights = 0, convAll = 0;
        for (var e : ps.entrySet()) {
            if (!e.getKey().startsWith("features.")) continue;
            convAll += e.getValue().value().numel();
            if (e.getKey().endsWith(".weight")) convWeights += e.getValue().value().numel();
        }
        assertEquals(864 + 9216 + 9216, convWeights);
        assertEquals(896 + 9248 + 9248, convAll);
        assertEquals(Shape.of(32, 3, 3, 3), ps.get("features.0.weight").shape());
        assertEquals(Shape.of(10, 32 * 32 * 32), ps.get("classifier.weight").shape());
        assertEquals(Shape.of(10, 32 * 4 * 4), create("c3-32-pool").namedParameters().get("classifier.weight").shape());
    }

    @Test
    void batchNormVariantsNameTheirBuffersLikePyTorch() {
        Model m = create("c2-8-pool-bn");
        assertEquals(List.of("features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
                "features.5.running_mean", "features.5.running_var", "features.5.num_batches_tracked"), new ArrayList<>(m.namedBuffers().keySet()));
        assertTrue(create("c2-8-bn-pool").namedParameters().containsKey("features.1.weight"));
    }

    @Test
    void resnetNamesFollowTheCifarCode() {
        Map<String, Parameter> ps = create("resnet20").namedParameters();
        for (String k : List.of("conv1.weight", "bn1.weight", "bn1.bias", "layer1.0.conv1.weight", "layer1.0.bn1.weight",
                "layer1.2.conv2.weight", "layer2.0.conv1.weight", "layer3.2.bn2.bias", "fc.weight", "fc.bias"))
            assertTrue(ps.containsKey(k), "missing " + k + " in " + ps.keySet());
        assertEquals(Shape.of(32, 16, 3, 3), ps.get("layer2.0.conv1.weight").shape());
        assertTrue(ps.keySet().stream().noneMatch(k -> k.contains("shortcut")));
        assertTrue(create("resnet20").namedBuffers().containsKey("layer3.2.bn2.running_var"));
    }

    @Test
    void prunableConvListsDescribeTheConsumers() {
        List<PrunableConv> v = ((Model) create("c3-32-pool")).prunableConvs();
        assertEquals(List.of("features.0", "features.3", "features.6"), v.stream().map(PrunableConv::name).toList());
        assertSame(v.get(1).conv(), v.get(0).nextConv());
        assertNull(v.get(0).bn());
        assertNull(v.get(2).nextConv());
        assertEquals(16, v.get(2).nextLinearSpatial());
        assertEquals(32 * 16, v.get(2).nextLinear().inFeatures());

        List<PrunableConv> r = create("resnet20").prunableConvs();
        assertEquals(19, r.size());
        assertEquals("conv1", r.get(0).name());
        assertEquals("layer1.0.conv1", r.get(1).name());
        assertSame(r.get(2).conv(), r.get(1).nextConv());
        assertNull(r.get(2).nextConv());
        assertTrue(r.stream().allMatch(p -> p.bn() != null));

        List<PrunableConv> g = create("vgg16").prunableConvs();
        assertEquals(13, g.size());
        assertEquals(1, g.get(12).nextLinearSpatial());
        assertEquals(512, g.get(12).nextLinear().inFeatures());
    }

    @Test
    void forwardShapes() {
        for (String name : List.of("vgg16", "resnet20", "c3-32-pool")) {
            Model m = create(name);
            try (TensorScope s = TensorScope.open(); AutoCloseable ng = Tape.noGrad()) {
                Tensor x = b.fromHost(OpsKit.randomFloats("models/x", 2 * 3 * 32 * 32, -1, 1), Shape.of(2, 3, 32, 32));
                m.train(false);
                Variable y = m.forward(Variable.constant(x));
                assertEquals(Shape.of(2, 10), y.shape(), name);
                for (float v : b.toHost(y.value())) assertTrue(Float.isFinite(v), name + " gave a non-finite logit");
            } catch (Exception e) { throw new AssertionError(e); }
        }
    }

    @Test
    void unknownNamesListTheValidOnes() {
        ReaperException e = assertThrows(ReaperException.class, () -> create("resnet21"));
        assertTrue(e.getMessage().contains("resnet20") && e.getMessage().contains("c3-32-pool") && e.getMessage().contains("vgg16"), e.getMessage());
        assertThrows(ReaperException.class, () -> create("alexnet"));
        assertThrows(ReaperException.class, () -> create("c0-32"));
        assertTrue(assertThrows(ReaperException.class, () -> create("c6-8-pool")).getMessage().contains("at most 5 layers"));
    }

    @Test
    void parametersSurviveTheScopeTheModelWasBuiltIn() {
        Model m;
        try (TensorScope s = TensorScope.open()) { m = create("c2-4-pool"); }
        Tensor x = b.fromHost(OpsKit.randomFloats("models/y", 3 * 32 * 32, -1, 1), Shape.of(1, 3, 32, 32));
        try (TensorScope s = TensorScope.open()) {
            // a later allocation must not reuse the parameter storage
            Tensor junk = b.empty(m.namedParameters().get("features.0.weight").shape());
            b.fill(junk, Float.NaN);
            for (float v : b.toHost(m.forward(Variable.constant(x)).value())) assertTrue(Float.isFinite(v));
        }
    }
}
