package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.reaper.cli.Cli.assertOneLineError;
import static org.reaper.cli.Cli.run;
import static org.reaper.cli.Cli.snapshot;
import static org.reaper.cli.Cli.tinyTrain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.repr.ReprLog;
import org.reaper.train.Json;

/** Options that cannot apply, or would silently change a run, are refused in one line and change no file (issue 10). */
class TrainGuardsTest {
    @TempDir Path tmp;

    @Test void resumeRefusesOptionsThatWouldChangeTheRunMidway() throws Exception {
        Path r = tmp.resolve("run");
        assertEquals(0, run(tinyTrain(r, "--epochs", "3", "--stop-after-epoch", "1")).code());
        Map<String, String> before = snapshot(r);
        assertOneLineError(run("train", "--resume", r.toString(), "--seed", "5"), "--seed 1 -> 5", "--epochs");
        assertOneLineError(run("train", "--resume", r.toString(), "--schedule", "repr", "--s1", "1"), "--schedule standard -> repr");
        assertOneLineError(run("train", "--resume", r.toString(), "--lr", "0.05"), "--lr 0.01 -> 0.05");
        assertOneLineError(run("train", "--resume", r.toString(), "--out", tmp.resolve("elsewhere").toString()), "--out", "--resume");
        assertEquals(before, snapshot(r), "a refused resume changes no file");
        assertFalse(Files.exists(tmp.resolve("elsewhere")));
        Cli.Result ok = run("train", "--resume", r.toString(), "--epochs", "2", "--threads", "2", "--eval-batch", "7");
        assertEquals(0, ok.code(), ok.err());
    }

    @Test void reprSettingsThatCannotApplyAreRefusedOrWarned() throws Exception {
        Path r = tmp.resolve("run");
        assertOneLineError(run(tinyTrain(r, "--schedule", "repr", "--s1", "10", "--epochs", "3")), "--s1 10", "never drop");
        assertOneLineError(run(tinyTrain(r, "--prune", "1.5")), "--prune applies only with --schedule repr");
        assertOneLineError(run(tinyTrain(r, "--schedule", "repr", "--s1", "1", "--prune", "1.5", "--epochs", "3")), "--prune", "1.5");
        assertOneLineError(run(tinyTrain(r, "--schedule", "repr", "--s1", "1", "--criterion", "weight-l1", "--norm", "frobenius", "--epochs", "3")),
                "--norm applies only with --criterion ortho");
        assertOneLineError(run(tinyTrain(r, "--schedule", "repr", "--s1", "1", "--cycles", "0", "--epochs", "3")), "--cycles 0");
        assertFalse(Files.exists(r), "a refused run creates no folder");

        Cli.Result warned = run(tinyTrain(r, "--schedule", "repr", "--s1", "1", "--s2", "1", "--cycles", "1", "--prune", "0.99", "--epochs", "3"));
        assertEquals(0, warned.code(), warned.err());
        assertTrue(warned.errLines().size() == 1 && warned.errLines().get(0).startsWith("reaper: warning: --prune 0.99"), warned.err());
        for (Map<String, Object> e : ReprLog.read(r.resolve(ReprLog.FILE)))
            if ("drop".equals(e.get("event")))
                for (Object l : (List<?>) e.get("layers")) {
                    Map<?, ?> layer = (Map<?, ?>) l;
                    assertTrue(((Number) layer.get("count")).intValue() < ((Number) layer.get("filters")).intValue(), "a layer kept a filter: " + layer.get("name"));
                }
    }

    @Test void optimizerAndScheduleOptionsThatCannotApplyAreRefused() throws Exception {
        Path r = tmp.resolve("run");
        assertOneLineError(run(tinyTrain(r, "--gamma", "0.5")), "--gamma applies only with --schedule-lr step");
        assertOneLineError(run(tinyTrain(r, "--milestones", "1,2")), "--milestones applies only with --schedule-lr step");
        assertOneLineError(run(tinyTrain(r, "--optimizer", "adam", "--nesterov")), "--nesterov applies only with --optimizer sgd");
        Path cfg = Files.writeString(tmp.resolve("adam.json"), "{\"optimizer\": \"adam\", \"momentum\": 0.8}");
        assertOneLineError(run(tinyTrain(r, "--config", cfg.toString())), "--momentum applies only with --optimizer sgd");
        assertFalse(Files.exists(r));
        // a run's own config.json lists every option, defaults included: reusing it is not a conflict
        assertEquals(0, run(tinyTrain(r)).code());
        Cli.Result again = run("train", "--config", r.resolve("config.json").toString(), "--seed", "2", "--out", tmp.resolve("again").toString());
        assertEquals(0, again.code(), again.err());
        Path official = tmp.resolve("official");
        assertEquals(0, run(tinyTrain(official, "--schedule", "repr", "--s1", "1", "--criterion", "ortho-official", "--epochs", "2")).code());
        Cli.Result reused = run("train", "--config", official.resolve("config.json").toString(), "--out", tmp.resolve("official2").toString());
        assertEquals(0, reused.code(), reused.err());
    }

    @Test void configFileKeysAndTypesAreChecked() throws Exception {
        Path cfg = tmp.resolve("c.json"), r = tmp.resolve("run");
        Files.writeString(cfg, "{\"lrr\": 0.5}");
        assertOneLineError(run(tinyTrain(r, "--config", cfg.toString())), "unknown key \"lrr\"", "did you mean \"lr\"");
        Files.writeString(cfg, "{\"lr\": \"fast\"}");
        assertOneLineError(run(tinyTrain(r, "--config", cfg.toString())), "\"lr\" must be a number", "\"fast\"");
        Files.writeString(cfg, "{\"epochs\": 2.5}");
        assertOneLineError(run(tinyTrain(r, "--config", cfg.toString())), "\"epochs\" must be a whole number");
        Files.writeString(cfg, "{\"repr\": {\"schedule\": \"repr\", \"prunee\": 0.2}}");
        assertOneLineError(run(tinyTrain(r, "--config", cfg.toString())), "unknown key \"prunee\"", "prune");
        assertFalse(Files.exists(r));
    }

    @Test void outFolderThatIsNotARunIsNeverWrittenInto() throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("config.json"), "{\"my\": \"own settings\"}");
        Files.writeString(mine.resolve("notes.txt"), "results I care about");
        Map<String, String> before = snapshot(mine);
        assertOneLineError(run(tinyTrain(mine)), "holds no Reaper run", "config.json");
        assertOneLineError(run(tinyTrain(mine, "--overwrite")), "holds no Reaper run");
        assertEquals(before, snapshot(mine));
        assertOneLineError(run(tinyTrain(null, "--out", "")), "--out is empty");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertOneLineError(run(tinyTrain(file)), "is a file, not a folder");
        assertOneLineError(run(tinyTrain(file.resolve("run"))), "a-file");
        assertEquals("x", Files.readString(file));
    }

    @Test void overwriteRemovesEveryFileOfTheEarlierRunAndNothingElse() throws Exception {
        Path r = tmp.resolve("run");
        assertEquals(0, run(tinyTrain(r, "--schedule", "repr", "--s1", "1", "--s2", "1", "--cycles", "1", "--epochs", "3")).code());
        for (String f : List.of("repr.jsonl", "drops.png", "ortho_sum.png")) assertTrue(Files.exists(r.resolve(f)), f);
        Files.writeString(r.resolve("notes.md"), "my notes on this run");
        Cli.Result again = run(tinyTrain(r, "--overwrite"));
        assertEquals(0, again.code(), again.err());
        for (String f : List.of("repr.jsonl", "drops.png", "ortho_sum.png")) assertFalse(Files.exists(r.resolve(f)), f + " left from the RePr run");
        assertEquals("my notes on this run", Files.readString(r.resolve("notes.md")));
        assertEquals("standard", ((Map<?, ?>) Json.readMap(r.resolve("config.json")).get("repr")).get("schedule"));
    }

    @Test void dataFolderIsRecordedAbsolute() throws Exception {
        Path data = CifarFiles.write(tmp.resolve("cifar"));
        Path relative = Path.of("").toAbsolutePath().relativize(data.toAbsolutePath());
        Path r = tmp.resolve("run");
        List<String> args = new ArrayList<>(tinyTrain(r));
        int i = args.indexOf("--dataset");
        args.set(i, "--data");
        args.set(i + 1, relative.toString());
        Cli.Result res = run(args);
        assertEquals(0, res.code(), res.err());
        String recorded = (String) Json.readMap(r.resolve("config.json")).get("data");
        assertTrue(Path.of(recorded).isAbsolute(), recorded);
        assertEquals(data.toAbsolutePath().normalize().toString(), recorded);
    }

    @Test void messagesNameTheProblemAndBadInputLeavesNothingBehind() throws Exception {
        assertOneLineError(run("train", "--resume", tmp.resolve("nonexistent").toString()), "the folder does not exist");
        Path r = tmp.resolve("new-run");
        Cli.Result bad = run(tinyTrain(r, "--lr", "-1"));
        assertOneLineError(bad, "--lr");
        assertFalse(bad.out().contains("run folder:"), bad.out());
        assertOneLineError(run(tinyTrain(r, "--model", "c3-32-pool-pool")), "unknown model");
        assertOneLineError(run(tinyTrain(r, "--threads", "-2")), "--threads must be at least 0");
        assertOneLineError(run(tinyTrain(r, "--eval-batch", "0")), "--eval-batch must be at least 1");
        assertOneLineError(run(tinyTrain(r, "--data", tmp.resolve("nowhere").toString())), "nowhere");
        assertFalse(Files.exists(r), "no empty run folder after a validation error");

    }

    @Test void readOnlyOutSaysPermissionDenied() throws Exception {
        Path ro = Files.createDirectories(tmp.resolve("read-only"));
        assertTrue(ro.toFile().setWritable(false, false));
        try {
            assumeFalse(Files.isWritable(ro), "root writes anywhere: no permission error to see");
            assertOneLineError(run(tinyTrain(ro.resolve("run"))), "permission denied");
        } finally {
            ro.toFile().setWritable(true, false);
        }
    }

    @Test void smallerChecks() throws Exception {
        // a loss that is still finite in training but NaN at evaluation is a divergence too, not a result
        assertOneLineError(run(tinyTrain(tmp.resolve("nan"), "--lr", "1e15", "--max-steps-per-epoch", "1")), "test loss became NaN", "--lr");
        Cli.Result bare = run();
        assertEquals(2, bare.code());
        assertTrue(bare.err().contains("Usage:"), bare.err());
        Path r = tmp.resolve("run");
        assertEquals(0, run(tinyTrain(r)).code());
        assertOneLineError(run("eval", "--checkpoint", r.toString(), "--batch", "0"), "--batch must be at least 1");
        assertOneLineError(run("eval", "--checkpoint", r.toString(), "--threads", "-2"), "--threads must be at least 0");
        // results are readable as the umask allows: the same mode as a file created the ordinary way
        Path plain = Files.createFile(r.resolve("plain"));
        var mode = Files.getPosixFilePermissions(plain);
        for (String f : List.of("config.json", "metrics.jsonl", "metrics.csv", "summary.json", "checkpoint.safetensors", "curves.png"))
            assertEquals(mode, Files.getPosixFilePermissions(r.resolve(f)), f);
    }
}
