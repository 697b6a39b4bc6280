package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.reaper.cli.Cli.assertOneLineError;
import static org.reaper.cli.Cli.run;
import static org.reaper.cli.Cli.snapshot;
import static org.reaper.cli.Cli.tinyTrain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.study.Variant;
import org.reaper.train.Json;

/** --ortho-penalty on the command line: recorded, refused on resume when changed, checked, and usable as a study variant part. */
class OrthoPenaltyCliTest {
    @TempDir Path tmp;

    @Test void recordedAndNotChangeableOnResume() throws Exception {
        Path r = tmp.resolve("run");
        Cli.Result ok = run(tinyTrain(r, "--epochs", "2", "--stop-after-epoch", "1", "--ortho-penalty", "0.01", "--ortho-penalty-layers", "exclude-first"));
        assertEquals(0, ok.code(), ok.err());
        Map<String, Object> cfg = Json.readMap(r.resolve("config.json"));
        assertEquals(0.01, ((Number) cfg.get("ortho-penalty")).doubleValue(), 1e-9);
        assertEquals("exclude-first", cfg.get("ortho-penalty-layers"));
        Map<String, String> before = snapshot(r);
        assertOneLineError(run("train", "--resume", r.toString(), "--ortho-penalty", "0.1"), "--ortho-penalty 0.01 -> 0.1", "would change the run");
        assertOneLineError(run("train", "--resume", r.toString(), "--ortho-penalty-layers", "all"), "--ortho-penalty-layers exclude-first -> all");
        assertEquals(before, snapshot(r), "a refused resume changes no file");
        Cli.Result resumed = run("train", "--resume", r.toString());
        assertEquals(0, resumed.code(), resumed.err());
        // a config.json reused with --config keeps the penalty
        Cli.Result again = run("train", "--config", r.resolve("config.json").toString(), "--out", tmp.resolve("again").toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(0.01, ((Number) Json.readMap(tmp.resolve("again/config.json")).get("ortho-penalty")).doubleValue(), 1e-9);
    }

    @Test void aRunRecordedBeforeTheOptionExistedCannotGainItOnResume() throws Exception {
        Path r = tmp.resolve("old");
        assertEquals(0, run(tinyTrain(r, "--epochs", "2", "--stop-after-epoch", "1")).code());
        Map<String, Object> cfg = Json.readMap(r.resolve("config.json"));
        cfg.remove("ortho-penalty");
        cfg.remove("ortho-penalty-layers");
        Files.writeString(r.resolve("config.json"), Json.pretty(cfg) + "\n");
        assertOneLineError(run("train", "--resume", r.toString(), "--ortho-penalty", "0.5"), "--ortho-penalty 0 -> 0.5");
        Cli.Result resumed = run("train", "--resume", r.toString());
        assertEquals(0, resumed.code(), resumed.err());
    }

    @Test void badValuesAreRefusedInOneLine() {
        Path r = tmp.resolve("run");
        assertOneLineError(run(tinyTrain(r, "--ortho-penalty", "-1")), "--ortho-penalty must be a number >= 0");
        assertOneLineError(run(tinyTrain(r, "--ortho-penalty", "NaN")), "--ortho-penalty");
        assertOneLineError(run(tinyTrain(r, "--ortho-penalty", "0.1", "--ortho-penalty-layers", "first")), "unknown --ortho-penalty-layers 'first'", "exclude-first");
        assertOneLineError(run(tinyTrain(r, "--ortho-penalty-layers", "exclude-first")), "--ortho-penalty-layers applies only with --ortho-penalty");
        assertOneLineError(run(tinyTrain(r, "--model", "c1-8", "--ortho-penalty", "0.1", "--ortho-penalty-layers", "exclude-first")),
                "no conv layer the penalty can cover");
        assertFalse(Files.exists(r) && r.toFile().list().length > 0, "a refused run leaves nothing behind");
    }

    @Test void studyVariantPartsBecomeTheOptions() {
        assertEquals(List.of("--schedule", "standard", "--ortho-penalty", "0.01"), Variant.parse("standard:ortho-penalty=0.01").trainArgs());
        assertEquals(List.of("--schedule", "repr", "--exclude-first", "--ortho-penalty", "0.01", "--ortho-penalty-layers", "exclude-first"),
                Variant.parse("repr:exclude-first:ortho-penalty=0.01:ortho-penalty-layers=exclude-first").trainArgs());
        TrainCommand cmd = TrainCommand.parse(List.of("--ortho-penalty", "0.01", "--schedule", "repr", "--s1", "2", "--epochs", "4"));
        assertEquals(0.01f, cmd.options().config().orthoPenalty);
    }
}
