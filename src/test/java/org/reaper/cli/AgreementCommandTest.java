package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.io.Safetensors;
import org.reaper.repr.CriteriaScores;
import org.reaper.repr.CriteriaScoring;

/** {@code train --score-criteria} leaves the training unchanged and writes every criterion's scores; {@code agreement} reads them. */
class AgreementCommandTest {
    @TempDir Path tmp;

    private static List<String> reprRun(Path out, boolean score) {
        List<String> a = new java.util.ArrayList<>(Cli.tinyTrain(out, "--epochs", "3", "--schedule", "repr", "--s1", "1", "--s2", "1", "--cycles", "1",
                "--exclude-first"));
        if (score) a.addAll(List.of("--score-criteria", "--rank-batches", "2"));
        return a;
    }

    @Test void scoringEveryCriterionDoesNotChangeTheRun() throws Exception {
        Path plain = tmp.resolve("plain"), scored = tmp.resolve("scored");
        assertEquals(0, Cli.run(reprRun(plain, false)).code());
        Cli.Result r = Cli.run(reprRun(scored, true));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(scored.resolve(CriteriaScoring.FILE)));
        assertTrue(!Files.exists(plain.resolve(CriteriaScoring.FILE)));
        // the same metrics row for row (test accuracy and losses are printed with full precision)
        assertEquals(Files.readAllLines(plain.resolve("metrics.csv")).stream().map(AgreementCommandTest::withoutTime).toList(),
                Files.readAllLines(scored.resolve("metrics.csv")).stream().map(AgreementCommandTest::withoutTime).toList());
        // and the same weights after the re-initialisation and at the end
        for (String f : List.of("repr-cycle1-reinit.safetensors", "checkpoint.safetensors"))
            assertEquals(Safetensors.read(plain.resolve(f)).tensors(), Safetensors.read(scored.resolve(f)).tensors(), f);

        CriteriaScores s = CriteriaScores.read(scored);
        assertEquals(List.of("ortho", "weight-l1", "weight-l2", "random", "activation", "apoz", "gradient", "taylor", "oracle", "ortho-official", "oracle-test"),
                List.copyOf(s.criteria().keySet()));
        assertEquals(1, s.epoch());
        for (CriteriaScores.Criterion c : s.criteria().values())
            for (int i = 0; i < s.layers().size(); i++) assertEquals(s.shapes().get(i)[0], c.scores().get(i).length, c.name());
        // the file's ortho scores are the ones the run dropped by: the drop set in repr.jsonl equals the scores' selection
        assertTrue(s.options().scoreCriteria);
        assertTrue(s.options().excludeFirst);
    }

    @Test void agreementWritesTablesAndPlotForAFolderOfRuns() throws Exception {
        Path study = tmp.resolve("variant");
        for (int seed = 1; seed <= 2; seed++) {
            List<String> a = new java.util.ArrayList<>(reprRun(study.resolve("seed" + seed), true));
            a.addAll(List.of("--seed", String.valueOf(seed)));
            assertEquals(0, Cli.run(a).code());
        }
        Cli.Result r = Cli.run("agreement", study.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 run(s) (seeds 1, 2)"), r.out());
        assertTrue(r.out().contains("| ortho |"), r.out());
        for (String f : List.of("agreement.md", "agreement.json", "agreement.png")) assertTrue(Files.size(study.resolve(f)) > 100, f);
        Map<String, Object> json = org.reaper.train.Json.readMap(study.resolve("agreement.json"));
        assertEquals(10, ((Map<?, ?>) json.get("oracle-test")).size(), "11 criteria scored, less the reference itself");
    }

    @Test void badInputIsOneLineAndWritesNothing() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "mine");
        var before = Cli.snapshot(empty);
        Cli.assertOneLineError(Cli.run("agreement", empty.toString()), "holds no criteria-scores.json", "--score-criteria");
        Cli.assertOneLineError(Cli.run("agreement", tmp.resolve("nope").toString()), "does not exist");
        Path notScores = tmp.resolve("bad.json");
        Files.writeString(notScores, "{\"layers\": 3}");
        Cli.assertOneLineError(Cli.run("agreement", notScores.toString(), "--out", empty.toString()), "is not a criteria-scores file");
        Path early = tmp.resolve("early");      // a run stopped before its first drop
        assertEquals(0, Cli.run(Cli.tinyTrain(early)).code());
        Cli.assertOneLineError(Cli.run("agreement", early.toString()), "has no criteria-scores.json yet", "train --resume");
        assertEquals(before, Cli.snapshot(empty));
        // the flag belongs to RePr runs
        Cli.assertOneLineError(Cli.run(Cli.tinyTrain(tmp.resolve("std"), "--score-criteria")), "--score-criteria applies only with --schedule repr");
    }

    /** A metrics.csv row without its wall-clock columns (seconds, images_per_s). */
    private static String withoutTime(String csvLine) {
        String[] f = csvLine.split(",", -1);
        return String.join(",", java.util.Arrays.copyOfRange(f, 0, 9)) + "|" + String.join(",", java.util.Arrays.copyOfRange(f, 11, f.length));
    }
}
