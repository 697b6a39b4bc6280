package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reaper.cli.Cli.assertOneLineError;
import static org.reaper.cli.Cli.run;
import static org.reaper.cli.Cli.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.train.Json;

/** A study never passes old results off as new ones, checks every variant before training, and reports failed runs (issue 10). */
class StudyGuardsTest {
    @TempDir Path tmp;

    static List<String> study(Path out, String variants, String... trainExtra) {
        List<String> a = new ArrayList<>(List.of("study", "--model", "c2-8-pool", "--seeds", "1", "--variants", variants, "--epochs", "2",
                "--threads", "1", "--out", out.toString(), "--", "--dataset", "synthetic", "--train-limit", "64", "--test-limit", "32",
                "--batch", "16", "--max-steps-per-epoch", "1"));
        a.addAll(List.of(trainExtra));
        return a;
    }

    @Test void reportOfAFolderThatDoesNotExistIsOneLine() {
        assertOneLineError(run(List.of("report", tmp.resolve("nope").toString())), "nope", "is not a folder");
    }

    @Test void finishedRunsAreReusedOnlyWithTheSameOptions() throws Exception {
        Path out = tmp.resolve("study");
        Cli.Result first = run(study(out, "standard"));
        assertEquals(0, first.code(), first.err());
        assertEquals("standard seed1", Json.readMap(out.resolve("standard/seed1/config.json")).get("name"), "curves.png is titled by variant and seed");
        Cli.Result same = run(study(out, "standard"));
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("done already"), same.out());

        Map<String, String> before = snapshot(out);
        assertOneLineError(run(study(out, "standard", "--lr", "0.05")), "standard/seed1: --lr 0.01 -> 0.05", "--retrain");
        List<String> otherModel = study(out, "standard");
        otherModel.set(otherModel.indexOf("c2-8-pool"), "c2-4-pool");
        assertOneLineError(run(otherModel), "--model c2-8-pool -> c2-4-pool");
        assertEquals(before, snapshot(out), "a refused study changes no file");

        List<String> retrain = study(out, "standard", "--lr", "0.05");
        retrain.add(1, "--retrain");
        Cli.Result re = run(retrain);
        assertEquals(0, re.code(), re.err());
        assertEquals(0.05, ((Number) Json.readMap(out.resolve("standard/seed1/config.json")).get("lr")).doubleValue(), 1e-6);
    }

    @Test void badVariantsFailBeforeAnythingTrains() throws Exception {
        Path out = tmp.resolve("study");
        assertOneLineError(run(study(out, "standard,repr:prune=1.5:s1=1")), "variant 'repr:prune=1.5:s1=1'", "--prune");
        assertOneLineError(run(study(out, "standard,repr:bogus=3")), "variant 'repr:bogus=3'", "--bogus");
        List<String> missingData = study(out, "standard");
        missingData.addAll(missingData.indexOf("--"), List.of("--data", tmp.resolve("no-data").toString()));
        missingData.removeAll(List.of("--dataset", "synthetic"));
        assertOneLineError(run(missingData), "no-data");
        assertOneLineError(run(study(out, "standard", "--seed", "4")), "--seed", "--seeds");
        assertFalse(Files.exists(out), "nothing was created");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertOneLineError(run(study(file, "standard")), "is a file, not a folder");
        assertOneLineError(run("study", "--out", tmp.resolve("none").toString(), "--summarise-only"), "does not exist");
        assertFalse(Files.exists(tmp.resolve("none")));
    }

    @Test void summariseOnlyRebuildsTheStudysOwnGrid() throws Exception {
        Path out = tmp.resolve("study");
        assertEquals(0, run(study(out, "standard:lr=0.02,repr:s1=1:s2=1:cycles=1")).code());
        Files.delete(out.resolve("study.md"));
        Cli.Result r = run("study", "--out", out.toString(), "--summarise-only");
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("study.md"));
        assertTrue(md.contains("| standard:lr=0.02 | 1 |") && md.contains("| repr:s1=1:s2=1:cycles=1 | 1 |"), md);
        assertFalse(md.contains("| repr | 0 |"), "the default variants are not the study's: " + md);
    }

    @Test void aFailedRunMakesTheStudyFailWithItsErrorInTheTable() throws Exception {
        Path out = tmp.resolve("study");
        Cli.Result r = run(study(out, "standard", "--lr", "1e15"));
        assertOneLineError(r, "1 of 1 runs failed", "diverged");
        String md = Files.readString(out.resolve("study.md"));
        assertTrue(md.contains("failed runs:") && md.contains("diverged"), md);
        assertFalse(Files.exists(out.resolve("study.png")));
        assertFalse(r.out().contains("study.png"), "no claim of a plot that was not written: " + r.out());
    }
}
