package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.OrthoOptions.Normalization;
import org.reaper.io.HostTensor;
import org.reaper.io.Safetensors;
import org.reaper.cli.RankCommand;
import picocli.CommandLine;

/** Ortho scores of random weights against a float64 reference, for every variant, directly and through `rank --json`. */
class OrthoScoresTest {
    static final int[][] SHAPES = {{32, 3, 3, 3}, {32, 32, 3, 3}, {16, 32, 5, 5}, {10, 8, 1, 1}};
    static final String[] NAMES = {"features.0.weight", "features.2.weight", "features.10.weight", "head.weight"};

    static List<OrthoOptions> variants() {
        List<OrthoOptions> v = new ArrayList<>();
        for (Normalization n : Normalization.values()) for (boolean abs : new boolean[] {true, false}) v.add(new OrthoOptions(n, abs));
        return v;
    }

    static void assertClose(double[] ref, float[] got, String what) {
        assertEquals(ref.length, got.length, what);
        for (int i = 0; i < ref.length; i++) {
            double tol = 1e-5 * Math.max(Math.abs(ref[i]), 1e-3);
            assertTrue(Math.abs(ref[i] - got[i]) <= tol, what + " filter " + i + ": reference " + ref[i] + " got " + got[i]);
        }
    }

    @Test void backendScoresMatchFloat64ReferenceAndGiveIdenticalDrops() {
        for (OrthoOptions o : variants()) {
            List<LayerScores> ours = new ArrayList<>(), ref = new ArrayList<>();
            for (int l = 0; l < SHAPES.length; l++) {
                int[] s = SHAPES[l];
                float[] w = ReprTestKit.randomWeights(100 + l, s[0] * s[1] * s[2] * s[3]);
                float[] got = OrthoRanker.scores(ReprTestKit.CPU, ReprTestKit.tensor(w, s), o);
                double[] want = ReprTestKit.orthoReference(w, s[0], o);
                assertClose(want, got, o + " layer " + l);
                float[] wantF = new float[want.length];
                for (int i = 0; i < want.length; i++) wantF[i] = (float) want[i];
                ours.add(new LayerScores("l" + l, s, got));
                ref.add(new LayerScores("l" + l, s, wantF));
            }
            FilterSelection sel = new FilterSelection(ReprOptions.Scope.GLOBAL, 0.3, false, 0);
            assertEquals(ReprTestKit.str(ReprTestKit.dropped(sel.select(ref, true))), ReprTestKit.str(ReprTestKit.dropped(sel.select(ours, true))), o.toString());
        }
    }

    @Test @SuppressWarnings("unchecked")
    void rankCommandPrintsReferenceScoresAndDrops(@TempDir Path dir) throws Exception {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        Map<String, float[]> raw = new LinkedHashMap<>();
        for (int l = 0; l < SHAPES.length; l++) {
            int[] s = SHAPES[l];
            float[] w = ReprTestKit.randomWeights(200 + l, s[0] * s[1] * s[2] * s[3]);
            tensors.put(NAMES[l], HostTensor.f32(s, w));
            raw.put(NAMES[l], w);
        }
        tensors.put("features.0.bias", HostTensor.f32(new int[] {32}, new float[32]));   // not 4-D: ignored
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, tensors, Map.of());
        String[][] args = {{}, {"--norm", "frobenius"}, {"--abs", "mean"}, {"--criterion", "ortho-official"}, {"--norm", "frobenius", "--abs", "mean"}};
        OrthoOptions[] expect = {new OrthoOptions(Normalization.PER_FILTER, true), new OrthoOptions(Normalization.FROBENIUS, true),
                new OrthoOptions(Normalization.PER_FILTER, false), new OrthoOptions(Normalization.FROBENIUS, false),
                new OrthoOptions(Normalization.FROBENIUS, false)};
        for (int a = 0; a < args.length; a++) {
            List<String> argv = new ArrayList<>(List.of("--weights", file.toString(), "--prune", "0.3", "--json"));
            argv.addAll(List.of(args[a]));
            StringWriter sw = new StringWriter();
            CommandLine cl = new CommandLine(new RankCommand());
            cl.setOut(new PrintWriter(sw));
            assertEquals(0, cl.execute(argv.toArray(String[]::new)), String.join(" ", argv));
            Map<String, Object> doc = new ObjectMapper().readValue(sw.toString(), Map.class);
            List<Map<String, Object>> layers = (List<Map<String, Object>>) doc.get("layers");
            // natural name order: features.0, features.2, features.10, head
            assertEquals(List.of(NAMES), layers.stream().map(l -> (String) l.get("name")).toList());
            List<LayerScores> ref = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                List<Number> sc = (List<Number>) layers.get(l).get("scores");
                float[] got = new float[sc.size()];
                for (int i = 0; i < got.length; i++) got[i] = sc.get(i).floatValue();
                double[] want = ReprTestKit.orthoReference(raw.get(NAMES[l]), SHAPES[l][0], expect[a]);
                assertClose(want, got, "rank " + String.join(" ", args[a]) + " " + NAMES[l]);
                assertEquals(List.of(SHAPES[l][0], SHAPES[l][1], SHAPES[l][2], SHAPES[l][3]), layers.get(l).get("shape"));
                float[] wf = new float[want.length];
                for (int i = 0; i < wf.length; i++) wf[i] = (float) want[i];
                ref.add(new LayerScores(NAMES[l], SHAPES[l], wf));
            }
            DropPlan plan = new FilterSelection(ReprOptions.Scope.GLOBAL, 0.3, false, 0).select(ref, true);
            List<String> want = new ArrayList<>();
            for (DropPlan.LayerDrop d : plan.layers()) for (int f : d.dropped()) want.add(d.layer() + "#" + f);
            List<String> got = ((List<Map<String, Object>>) doc.get("dropped")).stream().map(p -> p.get("layer") + "#" + p.get("filter")).toList();
            assertEquals(want, got);
            assertEquals(Math.round(0.3 * (32 + 32 + 16 + 10)), got.size());
        }
    }

    @Test void rankRejectsDataCriteriaAndMissingFilesInOneLine(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RankCommand());
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("--weights", dir.resolve("nope.safetensors").toString(), "--json");
        assertTrue(rc != 0);
        assertTrue(Files.notExists(dir.resolve("nope.safetensors")));
    }
}
