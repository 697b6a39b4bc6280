package org.reaper.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.nn.InitScheme;
import org.reaper.nn.Parameter;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * torchvision's ResNets: parameter counts as published, every state-dict name and shape equal to
 * torchvision's (src/test/resources/torchvision/*_keys.txt), and eval-mode logits equal to PyTorch's for the
 * same weights (benchmarks/torchvision_fixture.py fills both from one formula and dumps float64 logits).
 */
class ResNetImageNetTest {
    /** float32 here vs float64 in PyTorch through 18/50 layers: |difference| <= 1e-3 x the largest |logit|. */
    static final double RELATIVE_TOLERANCE = 1e-3;
    static final Backend CPU = new CpuBackend(2);

    @Test void parameterCountsAreTorchvisions() {
        assertEquals(11_689_512, count("resnet18"));
        assertEquals(21_797_672, count("resnet34"));
        assertEquals(25_557_032, count("resnet50"));
    }

    private static long count(String name) {
        long n = 0;
        for (Parameter p : Models.create(name, CPU, new RandomStream(1), 1000, InitScheme.PYTORCH_DEFAULT).parameters()) n += p.value().numel();
        return n;
    }

    @Test void namesShapesAndLogitsMatchTorchvision() throws Exception {
        JsonNode fixture = new ObjectMapper().readTree(ResNetImageNetTest.class.getResourceAsStream("/torchvision/forward.json"));
        for (String arch : List.of("resnet18", "resnet50")) {
            Map<String, String> keys = keys(arch);
            Model m = Models.create(arch, CPU, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT);
            Map<String, Tensor> state = new LinkedHashMap<>();
            m.namedParameters().forEach((k, p) -> state.put(k, p.value()));
            state.putAll(m.namedBuffers());
            assertEquals(keys.keySet(), state.keySet(), arch + " state-dict names");
            int salt = 0;
            for (var e : keys.entrySet()) {
                Tensor t = state.get(e.getKey());
                // num_batches_tracked is 0-d in PyTorch, a one-element [1] buffer here; checkpoints store it 0-d as PyTorch does
                String want = e.getKey().endsWith("num_batches_tracked") ? "[1]" : e.getValue();
                assertEquals(want, t.shape().toString(), arch + " " + e.getKey());
                CPU.upload(fill(e.getKey(), t, salt++), t);
            }
            int size = fixture.get(arch).get("input_size").asInt();
            float[] x = new float[2 * 3 * size * size];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.013);
            m.train(false);
            float[] logits;
            try (AutoCloseable noGrad = Tape.noGrad()) {
                Variable y = m.forward(Variable.constant(CPU.fromHost(x, Shape.of(2, 3, size, size))));
                logits = CPU.toHost(y.value());
            }
            JsonNode want = fixture.get(arch).get("logits");
            double max = 0;
            for (JsonNode row : want) for (JsonNode v : row) max = Math.max(max, Math.abs(v.asDouble()));
            for (int i = 0; i < 2; i++)
                for (int c = 0; c < 10; c++) {
                    double w = want.get(i).get(c).asDouble(), g = logits[i * 10 + c];
                    assertTrue(Math.abs(w - g) <= RELATIVE_TOLERANCE * max, arch + " logit [" + i + "," + c + "]: PyTorch " + w + ", Reaper " + g);
                }
        }
    }

    /** The formula of benchmarks/torchvision_fixture.py. */
    static float[] fill(String name, Tensor t, int salt) {
        int n = t.numel();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double v = Math.sin(i * 0.7071 + salt * 1.3);
            double value;
            if (name.endsWith("running_var")) value = 1.0 + 0.5 * Math.abs(v);
            else if (name.endsWith("running_mean") || name.endsWith(".bias")) value = 0.1 * v;
            else if (name.endsWith("num_batches_tracked")) value = 0;
            else if (t.shape().rank() == 1) value = 1.0 + 0.2 * v;
            else value = v * Math.sqrt(3.0 / (n / t.shape().dim(0)));
            out[i] = (float) value;
        }
        return out;
    }

    static Map<String, String> keys(String arch) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ResNetImageNetTest.class.getResourceAsStream("/torchvision/" + arch + "_keys.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                int sp = line.indexOf(' ');
                m.put(line.substring(0, sp), line.substring(sp + 1));
            }
        }
        return m;
    }

    @Test void everyConvIsPrunableIncludingDownsampleAndOneByOne() {
        Model m = Models.create("resnet50", CPU, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT);
        List<String> names = new ArrayList<>();
        m.prunableConvs().forEach(p -> names.add(p.name()));
        assertEquals(53, names.size());   // 1 stem + 16 blocks x 3 + 4 downsample
        assertTrue(names.contains("layer1.0.downsample.0"));
        assertTrue(names.contains("layer4.2.conv3"));
    }
}
