package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.cli.ReportCommand;
import org.reaper.cli.StudyCommand;
import org.reaper.study.Variant;
import picocli.CommandLine;

/** The study grid through the train command on synthetic data: files, skip-when-finished, report. */
class StudyCommandTest {

    @Test void variantSyntax() {
        Variant v = Variant.parse("repr:scope=layer:exclude-first");
        assertEquals(List.of("--schedule", "repr", "--scope", "layer", "--exclude-first"), v.trainArgs());
        assertEquals("repr-scope-layer-exclude-first", v.folder());
        assertEquals(List.of("--schedule", "standard"), Variant.parse("standard").trainArgs());
    }

    static String run(Object cmd, String... args) {
        StringWriter sw = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(sw));
        assertEquals(0, cl.execute(args), sw.toString());
        return sw.toString();
    }

    @Test void studyRunsTheGridWritesTableAndPlotsAndSkipsFinishedRuns(@TempDir Path dir) throws Exception {
        String[] args = {"--model", "c2-8-pool", "--seeds", "1", "--variants", "standard,repr:s1=1:s2=1:cycles=1", "--epochs", "3",
                "--threads", "2", "--out", dir.toString(), "--",
                "--dataset", "synthetic", "--train-limit", "128", "--test-limit", "64", "--batch", "32", "--max-steps-per-epoch", "2"};
        String out = run(new StudyCommand(), args);
        Path repr = dir.resolve("repr-s1-1-s2-1-cycles-1").resolve("seed1");
        for (Path f : List.of(dir.resolve("study.md"), dir.resolve("study.png"), repr.resolve("repr.jsonl"), repr.resolve("drops.png"),
                repr.resolve("ortho_sum.png"), repr.resolve("metrics.csv"), dir.resolve("standard").resolve("seed1").resolve("summary.json")))
            assertTrue(Files.isRegularFile(f), f + " written\n" + out);
        String md = Files.readString(dir.resolve("study.md"));
        assertTrue(md.contains("| standard | 1 |") && md.contains("| repr:s1=1:s2=1:cycles=1 | 1 |"), md);
        List<Map<String, Object>> events = ReprLog.read(repr.resolve("repr.jsonl"));
        assertEquals(List.of("config", "epoch", "drop", "epoch", "reinit", "epoch"), events.stream().map(e -> (String) e.get("event")).toList());
        String csv = Files.readString(repr.resolve("metrics.csv"));
        assertTrue(csv.lines().findFirst().orElse("").contains("ortho_sum"), csv);
        assertTrue(csv.contains("pruned"), csv);
        String again = run(new StudyCommand(), args);
        assertTrue(again.contains("done already"), again);
        String report = run(new ReportCommand(), dir.resolve("standard").resolve("seed1").toString(), repr.toString());
        assertTrue(report.contains("repr ortho p=0.3 global"), report);
    }
}
