package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.train.Checkpoints;
import org.reaper.train.Json;
import org.reaper.train.MetricsWriter;

/** Every subcommand's happy path with tiny settings, and every bad input: exit code != 0 and one clear line on stderr. */
class MainTest {
    @TempDir Path tmp;

    record Result(int code, String out, String err) {
        List<String> errLines() { return err.lines().filter(l -> !l.isBlank()).toList(); }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static void assertOneLineError(Result r, String... mustContain) {
        assertNotEquals(0, r.code, "exit code; stdout: " + r.out);
        assertEquals(1, r.errLines().size(), "exactly one line on stderr, got:\n" + r.err);
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("reaper: "), line);
        for (String s : mustContain) assertTrue(line.contains(s), "'" + s + "' in: " + line);
    }

    private String[] tinyTrain(Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--model", "c2-8-pool", "--train-limit", "96",
                "--test-limit", "32", "--epochs", "1", "--batch", "16", "--max-steps-per-epoch", "2", "--threads", "2", "--out", out.toString()));
        if (!List.of(more).contains("--data")) a.addAll(List.of("--dataset", "synthetic"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test void trainEvalAndResumeHappyPath() {
        Path run = tmp.resolve("run");
        Result r = run(tinyTrain(run, "--epochs", "3", "--stop-after-epoch", "1"));
        assertEquals(0, r.code, r.err);
        assertTrue(Files.isRegularFile(run.resolve(Checkpoints.FILE)));
        assertTrue(r.out.contains("epoch 1/3"), r.out);

        Result resumed = run("train", "--resume", run.toString());
        assertEquals(0, resumed.code, resumed.err);
        assertTrue(resumed.out.contains("resuming"), resumed.out);
        assertEquals(3, MetricsWriter.readRows(run.resolve(MetricsWriter.JSONL)).size());
        assertEquals(3, Checkpoints.read(run.resolve(Checkpoints.FILE)).epoch());

        Result again = run(tinyTrain(run));
        assertOneLineError(again, "already holds a run", "--resume");

        Result eval = run("eval", "--checkpoint", run.resolve(Checkpoints.FILE).toString(), "--json", "--threads", "2");
        assertEquals(0, eval.code, eval.err);
        Map<String, Object> j = Json.parseMap(eval.out.lines().reduce((a, b) -> b).orElseThrow(), "eval output");
        assertEquals(32, ((Number) j.get("images")).intValue());
        double acc = ((Number) j.get("accuracy")).doubleValue();
        assertTrue(acc >= 0 && acc <= 1);
    }

    @Test void configFileGivesDefaultsAndFlagsOverrideIt() throws Exception {
        Path cfg = tmp.resolve("c.json");
        Files.writeString(cfg, "{\"model\": \"c2-8-pool\", \"dataset\": \"synthetic\", \"train-limit\": 64, \"test-limit\": 16,"
                + " \"epochs\": 5, \"batch\": 16, \"max-steps-per-epoch\": 1, \"lr\": 0.02, \"repr\": {\"schedule\": \"standard\"}}");
        Path run = tmp.resolve("fromconfig");
        Result r = run("train", "--config", cfg.toString(), "--epochs", "1", "--out", run.toString(), "--threads", "2");
        assertEquals(0, r.code, r.err);
        Map<String, Object> written = Json.readMap(run.resolve("config.json"));
        assertEquals(1, ((Number) written.get("epochs")).intValue(), "the flag overrides the file");
        assertEquals(0.02, ((Number) written.get("lr")).doubleValue(), 1e-6);
        assertEquals(16, ((Number) written.get("batch")).intValue());
    }

    @Test void infoBenchAndHelp() {
        Result info = run("info");
        assertEquals(0, info.code, info.err);
        assertTrue(info.out.contains("java") && info.out.contains("cpu: available"), info.out);
        Result bench = run("bench", "--model", "c2-8-pool", "--batch", "8", "--steps", "2", "--warmup", "1", "--warmup-seconds", "0", "--threads", "2", "--json");
        assertEquals(0, bench.code, bench.err);
        Map<String, Object> j = Json.parseMap(bench.out.strip().lines().reduce((a, b) -> b).orElseThrow(), "bench output");
        for (String k : List.of("model", "batch", "threads", "device", "ms_per_step", "ms_p10", "ms_p90", "images_per_s", "peak_rss_mb", "jvm", "first_step_ms"))
            assertTrue(j.containsKey(k), k);
        assertTrue(((Number) j.get("ms_per_step")).doubleValue() > 0);
        Result ops = run("bench", "--model", "c2-8-pool", "--batch", "8", "--steps", "2", "--warmup", "1", "--warmup-seconds", "0", "--threads", "2", "--profile-ops");
        assertEquals(0, ops.code, ops.err);
        assertTrue(ops.out.contains("| conv2dBackwardFilter 3x3/1 3->8 32x32 | 1 |") && ops.out.contains("| maxPool2dBackward 2x2/2")
                && ops.out.contains("| outside the kernels"), ops.out);
        for (String cmd : List.of("train", "eval", "bench", "info", "demo", "rank", "explain", "study", "report")) {
            Result h = run(cmd, "--help");
            assertEquals(0, h.code, cmd + ": " + h.err);
            assertTrue(h.out.contains("Usage:"), cmd);
        }
    }

    @Test void demoRunsBothSchedulesAndPrintsTheTable() {
        String prefix = tmp.resolve("demo").toString();
        Result r = run("demo", "--epochs", "3", "--train-limit", "128", "--test-limit", "64", "--batch", "32",
                "--max-steps-per-epoch", "2", "--threads", "2", "--out-prefix", prefix);
        assertEquals(0, r.code, r.err + r.out);
        assertTrue(r.out.contains("| standard |") && r.out.contains("| repr |"), r.out);
        assertTrue(Files.isRegularFile(Path.of(prefix + "-repr", "curves.png")));
        assertTrue(Files.isRegularFile(Path.of(prefix + "-standard", "summary.json")));
        assertTrue(Files.isRegularFile(Path.of(prefix + "-repr", "explain.html")), "the demo ends with the lesson");
        assertTrue(r.out.contains("open " + Path.of(prefix + "-repr", "explain.html")), r.out);
    }

    @Test void badInputsEndInOneClearLine() throws Exception {
        assertOneLineError(run(tinyTrain(tmp.resolve("a"), "--data", tmp.resolve("nowhere").toString())), "nowhere");
        assertEquals(2, run("train", "--epochs", "abc").code);
        assertOneLineError(run("train", "--epochs", "abc"), "--epochs", "abc");
        assertOneLineError(run("train", "--no-such-flag"), "--no-such-flag");
        assertOneLineError(run(tinyTrain(tmp.resolve("b"), "--model", "c3-33x")), "unknown model", "c3-33x");
        assertOneLineError(run("eval", "--checkpoint", tmp.resolve("missing.safetensors").toString()), "missing.safetensors");
        assertOneLineError(run("train", "--resume", tmp.resolve("norun").toString()), "norun");
        assertOneLineError(run("bogus-command"), "bogus-command");
        assertOneLineError(run("bench", "--model", "c2-8-pool", "--steps", "1", "--profile-steps", "7"), "--profile-steps", "A:B");
        assertOneLineError(run("bench", "--model", "c2-8-pool", "--steps", "1", "--warmup-seconds", "-1"), "--warmup-seconds");

        Path bad = Files.createDirectories(tmp.resolve("truncated"));
        Files.write(bad.resolve("data_batch_1.bin"), new byte[3073 * 4 + 100]);
        Files.write(bad.resolve("test_batch.bin"), new byte[3073 * 2]);
        assertOneLineError(run(tinyTrain(tmp.resolve("c"), "--data", bad.toString())), "data_batch_1.bin");

        Path notCheckpoint = tmp.resolve("junk.safetensors");
        Files.writeString(notCheckpoint, "this is not a safetensors file at all");
        assertOneLineError(run("eval", "--checkpoint", notCheckpoint.toString(), "--model", "c2-8-pool"), "junk.safetensors");
    }
}
