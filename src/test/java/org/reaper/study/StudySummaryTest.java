package org.reaper.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study table and plot: n = 1 instead of a made-up spread, the same pruned shading as curves.png, failed runs listed. */
class StudySummaryTest {
    @Test void oneSeedHasNoSpread() {
        assertEquals("50.00 (n = 1)", StudySummary.meanStd(new double[] {0.5}));
        assertEquals("50.00 ± 14.14", StudySummary.meanStd(new double[] {0.4, 0.6}));
        assertEquals("–", StudySummary.meanStd(new double[0]));
    }

    @Test void prunedPhasesAreShadedAsInCurvesPngAndFailuresListed(@TempDir Path out) throws Exception {
        Variant repr = Variant.parse("repr:s1=1"), std = Variant.parse("standard");
        Path run = Files.createDirectories(out.resolve(repr.folder()).resolve("seed1"));
        Files.writeString(run.resolve("summary.json"), "{\"finished\": true, \"final_test_acc\": 0.5, \"best_test_acc\": 0.6}");
        Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
                "{\"epoch\": 1, \"phase\": \"full\", \"test_acc\": 0.3}", "{\"epoch\": 2, \"phase\": \"pruned\", \"test_acc\": 0.4}",
                "{\"epoch\": 3, \"phase\": \"full\", \"test_acc\": 0.5}") + "\n");
        StudySummary s = StudySummary.collect(out, List.of(repr, std), 1, Map.of(out.resolve(std.folder()).resolve("seed1"), "it diverged"));
        assertArrayEquals(new double[] {1, 2}, s.bands().get(0).get(0), "epoch 2 spans (1, 2], as in curves.png");
        String md = s.markdown();
        assertTrue(md.contains("| repr:s1=1 | 1 | 50.00 (n = 1) |"), md);
        assertTrue(md.contains("| standard | 0 (1 failed) |") && md.contains("- standard seed1: it diverged"), md);
        assertEquals(List.of(out.resolve("study.md"), out.resolve("study.png")), s.write(out));
    }
}
