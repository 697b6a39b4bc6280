package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.io.HostTensor;
import org.reaper.models.Model;
import org.reaper.models.Models;
import org.reaper.nn.InitScheme;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.TensorScope;
import org.reaper.train.Checkpoints;
import org.reaper.train.ModelState;

/**
 * resnet18 checkpoints both ways with PyTorch: a checkpoint that {@code reaper train} wrote loads into
 * {@code torchvision.models.resnet18()} with {@code load_state_dict(strict=True)} and gives Reaper's logits, and a
 * torchvision state_dict saved as safetensors loads into Reaper ({@code eval --model resnet18} and the loading API)
 * and gives PyTorch's logits. The PyTorch half is src/test/resources/torchvision/roundtrip.py; it needs
 * {@code import torchvision} to work in {@code python3} or {@code /usr/bin/python3} (Debian's python3-torchvision,
 * not installed by .ci/run: its dependency closure is 343 MB to download, up to 1.4 GB installed), else the test is skipped with the reason printed.
 */
class TorchvisionRoundTripTest {
    /** Both sides compute in float32 with different summation orders: |difference| <= 1e-4 x the largest |logit|. */
    static final double RELATIVE_TOLERANCE = 1e-4;
    static final int SIZE = 32;
    static final ObjectMapper JSON = new ObjectMapper();
    static String python, skipReason;

    @BeforeAll static void findTorchvision() {
        List<String> tried = new ArrayList<>();
        String env = System.getProperty("reaper.test.python");
        for (String candidate : env != null ? List.of(env) : List.of("python3", "/usr/bin/python3")) {
            String why = probe(candidate);
            if (why == null) { python = candidate; return; }
            tried.add(candidate + ": " + why);
        }
        skipReason = "torchvision round trip skipped: no Python with torchvision (" + String.join("; ", tried)
                + "); install Debian's python3-torchvision to run it";
        System.out.println(skipReason);
    }

    /** Each test is reported as skipped, with the reason, where no Python imports torchvision. */
    @BeforeEach void needsTorchvision() { Assumptions.assumeTrue(python != null, skipReason); }

    /** null when {@code exe -c 'import torchvision'} works, else why not. */
    private static String probe(String exe) {
        try {
            Process p = new ProcessBuilder(exe, "-c", "import torch, torchvision").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(120, TimeUnit.SECONDS)) { p.destroyForcibly(); return "import timed out"; }
            if (p.exitValue() == 0) return null;
            String[] lines = out.split("\n");
            return lines[lines.length - 1];
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    @Test void aReaperCheckpointLoadsStrictlyIntoTorchvision(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        int steps = 3;
        Cli.Result r = Cli.run("train", "--model", "resnet18", "--dataset", "synthetic", "--train-limit", String.valueOf(8 * steps),
                "--test-limit", "8", "--epochs", "1", "--batch", "8", "--threads", "2", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        Path file = run.resolve(Checkpoints.FILE);
        Checkpoints.Loaded ck = Checkpoints.read(file);
        HostTensor count = ck.tensors().get("layer2.0.bn1.num_batches_tracked");
        assertEquals(0, count.shape().length, "num_batches_tracked is 0-d, as PyTorch writes it");
        assertEquals("I64", count.dtype());
        assertEquals(steps, count.data()[0]);

        JsonNode py = runPython(dir, "load", file);
        System.out.println("torchvision " + py.get("torchvision").asText() + " loaded " + file.getFileName() + " strictly");
        assertEquals(steps, py.get("num_batches_tracked").asInt(), "the batch counter survives the trip");
        assertEquals("[]", py.get("num_batches_tracked_shape").toString());
        assertEquals("torch.int64", py.get("num_batches_tracked_dtype").asText());
        assertClose(py.get("logits"), reaperLogits(ck), "Reaper checkpoint in torchvision");
    }

    @Test void aTorchvisionStateDictLoadsIntoReaper(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("weights.safetensors");
        JsonNode py = runPython(dir, "save", file);
        System.out.println("torchvision " + py.get("torchvision").asText() + " state_dict written by the " + py.get("writer").asText());
        Checkpoints.Loaded ck = Checkpoints.read(file);
        assertEquals(0, ck.tensors().get("bn1.num_batches_tracked").shape().length, "PyTorch's counter is 0-d");
        float[] reaper = reaperLogits(ck);
        assertClose(py.get("logits"), reaper, "torchvision state_dict in Reaper");
        // the batch counters made it across too (3 training-mode passes in the script)
        assertEquals(py.get("num_batches_tracked").asDouble(), ck.tensors().get("layer4.1.bn2.num_batches_tracked").data()[0]);

        Cli.Result e = Cli.run("eval", "--checkpoint", file.toString(), "--model", "resnet18", "--dataset", "synthetic",
                "--limit", "16", "--batch", "8", "--threads", "2", "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode ev = JSON.readTree(e.out().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(16, ev.get("images").asInt());
        assertTrue(Double.isFinite(ev.get("loss").asDouble()), e.out());
    }

    /** Eval-mode logits of the script's input for the resnet18 in {@code ck}, loaded through ModelState as eval does. */
    static float[] reaperLogits(Checkpoints.Loaded ck) throws Exception {
        try (Backend b = new CpuBackend(2)) {
            int classes = ck.tensors().get("fc.bias").shape()[0];
            Model m = Models.create("resnet18", b, new RandomStream(0), classes, InitScheme.PYTORCH_DEFAULT);
            ModelState.load(m, ck.tensors(), "checkpoint " + ck.file());
            float[] x = new float[2 * 3 * SIZE * SIZE];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.013);
            m.train(false);
            try (TensorScope s = TensorScope.open(); AutoCloseable g = Tape.noGrad()) {
                return b.toHost(m.forward(Variable.constant(b.fromHost(x, Shape.of(2, 3, SIZE, SIZE)))).value());
            }
        }
    }

    static void assertClose(JsonNode want, float[] got, String what) {
        int classes = want.get(0).size();
        assertEquals(want.size() * classes, got.length, what + ": logit count");
        double max = 0, worst = 0;
        for (JsonNode row : want) for (JsonNode v : row) max = Math.max(max, Math.abs(v.asDouble()));
        for (int i = 0; i < want.size(); i++)
            for (int c = 0; c < classes; c++) worst = Math.max(worst, Math.abs(want.get(i).get(c).asDouble() - got[i * classes + c]));
        System.out.printf("%s: largest |logit| %.4g, largest difference %.3g%n", what, max, worst);
        assertTrue(max > 0 && worst <= RELATIVE_TOLERANCE * max, what + ": largest difference " + worst + " vs largest |logit| " + max);
    }

    /** Runs roundtrip.py MODE FILE SIZE and returns its JSON; a failing script fails the test with its output. */
    static JsonNode runPython(Path dir, String mode, Path file) throws Exception {
        Path script = dir.resolve("roundtrip.py"), out = dir.resolve(mode + ".json");
        try (InputStream in = TorchvisionRoundTripTest.class.getResourceAsStream("/torchvision/roundtrip.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(python, script.toString(), mode, file.toString(), String.valueOf(SIZE), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "roundtrip.py " + mode + " timed out");
        assertEquals(0, p.exitValue(), "roundtrip.py " + mode + " failed:\n" + log);
        return JSON.readTree(out.toFile());
    }
}
