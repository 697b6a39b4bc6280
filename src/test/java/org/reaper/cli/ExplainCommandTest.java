package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reaper.cli.Cli.assertOneLineError;
import static org.reaper.cli.Cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.io.HostTensor;
import org.reaper.report.explain.Explain;
import org.reaper.report.explain.ExplainPage;
import org.reaper.repr.CycleSnapshots;
import org.reaper.repr.WeightsFileRanking;

/**
 * {@code reaper explain} on a tiny real RePr run of c3-32-pool: every number the page embeds equals the engine's
 * (scores = {@code reaper rank --json} on the drop snapshot, dropped set = repr.jsonl's, re-init cosines recomputed
 * here from the snapshots), the page is self-contained and under its size bound; bad input ends in one line.
 */
class ExplainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path tmp;
    static Path runDir, page;
    static Cli.Result explained;

    @BeforeAll static void trainAndExplain() {
        runDir = tmp.resolve("repr");
        Cli.Result t = run(Cli.tinyTrain(runDir, "--model", "c3-32-pool", "--epochs", "3", "--schedule", "repr", "--s1", "1", "--s2", "1",
                "--cycles", "1"));
        assertEquals(0, t.code(), t.err());
        page = tmp.resolve("lesson.html");
        explained = run("explain", "--run", runDir.toString(), "--out", page.toString(), "--threads", "1");
        assertEquals(0, explained.code(), explained.err());
    }

    /** The page's embedded data block. */
    static JsonNode data(Path html) throws Exception {
        String s = Files.readString(html);
        String open = "<script type=\"application/json\" id=\"lesson-data\">";
        int a = s.indexOf(open) + open.length(), b = s.indexOf("</script>", a);
        return JSON.readTree(s.substring(a, b).replace("<\\/", "</"));
    }

    @Test void scoresEqualRankJsonOnTheSnapshotAndTheDropEqualsReprJsonl() throws Exception {
        JsonNode d = data(page);
        assertFalse(d.get("hypothetical").asBoolean());
        Path snapshot = CycleSnapshots.dropFile(runDir, 1);
        Cli.Result rank = run("rank", "--weights", snapshot.toString(), "--json");
        assertEquals(0, rank.code(), rank.err());
        JsonNode ranked = JSON.readTree(rank.out());
        JsonNode layers = d.get("layers");
        assertEquals(ranked.get("layers").size(), layers.size());
        for (int i = 0; i < layers.size(); i++) {
            assertEquals(ranked.get("layers").get(i).get("name"), layers.get(i).get("name"));
            assertEquals(ranked.get("layers").get(i).get("scores"), layers.get(i).get("scores"), "scores of " + layers.get(i).get("name"));
        }
        JsonNode drop = null;
        for (String line : Files.readAllLines(runDir.resolve("repr.jsonl"))) if (line.contains("\"event\":\"drop\"")) drop = JSON.readTree(line);
        int total = 0;
        for (int i = 0; i < layers.size(); i++) {
            assertEquals(drop.get("layers").get(i).get("name").asText() + ".weight", layers.get(i).get("name").asText());
            assertEquals(drop.get("layers").get(i).get("dropped"), layers.get(i).get("dropped"));
            total += layers.get(i).get("dropped").size();
        }
        assertTrue(total > 0);
        assertEquals(ranked.get("dropped").size(), total, "the engine's selection on the snapshot drops as many as the run did");
        // the slider's p of this run reproduces the dropped set
        String bits = d.get("sweep").get((int) Math.round(100 * d.get("prune").asDouble())).asText();
        assertEquals(total, bits.chars().filter(c -> c == '1').count());
    }

    @Test void workedScoreIsTheEngineScore() throws Exception {
        for (JsonNode l : data(page).get("layers")) {
            JsonNode w = l.get("worked");
            assertEquals(w.get("engine_score").asDouble(), w.get("score").asDouble(), 1e-6);
            assertEquals(w.get("sum").asDouble() / w.get("J").asInt(), w.get("score").asDouble(), 1e-12);
            assertEquals(l.get("scores").get(w.get("filter").asInt()).asDouble(), w.get("engine_score").asDouble(), 0);
        }
    }

    @Test void reinitCosinesRecomputedFromTheSnapshots() throws Exception {
        JsonNode d = data(page);
        Map<String, HostTensor> before = WeightsFileRanking.convWeights(CycleSnapshots.dropFile(runDir, 1));
        Map<String, HostTensor> after = WeightsFileRanking.convWeights(CycleSnapshots.reinitFile(runDir, 1));
        assertTrue(d.get("reinit").size() > 0);
        for (JsonNode r : d.get("reinit")) {
            String name = r.get("name").asText();
            HostTensor b = before.get(name), a = after.get(name);
            int j = b.shape()[0], dim = b.numel() / j;
            List<Integer> fresh = new ArrayList<>();
            r.get("new").forEach(n -> fresh.add(n.asInt()));
            List<Integer> kept = new ArrayList<>();
            for (int f = 0; f < j; f++) if (!fresh.contains(f)) kept.add(f);
            double worst = 0;
            for (int i = 0; i < fresh.size(); i++) {
                for (int k = 0; k < kept.size(); k++) {
                    double c = absCos(a.data(), fresh.get(i), a.data(), kept.get(k), dim);
                    assertEquals(c, r.get("cos_kept").get(i).get(k).asDouble(), 1e-12);
                    worst = Math.max(worst, c);
                }
                assertEquals(absCos(a.data(), fresh.get(i), b.data(), fresh.get(i), dim), r.get("cos_old").get(i).asDouble(), 1e-12);
            }
            assertEquals(worst, r.get("max_cos_kept").asDouble(), 1e-12);
            assertEquals(r.get("logged").get("max_cos_kept").asDouble(), worst, 1e-9, "repr.jsonl's re-init report");
            assertEquals(r.get("logged").get("full_orthogonal").asInt(), r.get("full_orthogonal").asInt());
        }
    }

    @Test void pageIsSelfContainedAndSmall() throws Exception {
        String html = Files.readString(page);
        long bytes = Files.size(page);
        assertTrue(bytes < ExplainPage.C3_32_POOL_MAX_BYTES, "c3-32-pool page " + bytes + " bytes");
        for (String remote : List.of("src=\"http", "href=\"http", "url(http", "<link", "@import", "src=\"//"))
            assertFalse(html.contains(remote), "no network reference: " + remote);
        for (int s = 1; s <= 7; s++) assertTrue(html.contains("<section id=\"s" + s + "\""), "section " + s);
        assertTrue(explained.out().contains("features.0.weight") && explained.out().contains("page: " + page), explained.out());
    }

    @Test void aStandardRunExplainsOneHypotheticalCycleAndSaysSo() throws Exception {
        Path std = tmp.resolve("standard");
        assertEquals(0, run(Cli.tinyTrain(std, "--model", "c3-32-pool")).code());
        Cli.Result r = run("explain", "--run", std.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        Path html = std.resolve(Explain.FILE);
        JsonNode d = data(html);
        assertTrue(d.get("hypothetical").asBoolean());
        assertTrue(d.get("notice").asText().contains("standard schedule"), d.get("notice").asText());
        assertTrue(r.out().contains("note: This run trained with the standard schedule"), r.out());
        int dropped = 0;
        for (JsonNode l : d.get("layers")) dropped += l.get("dropped").size();
        assertEquals(Math.round(0.3 * 96), dropped);
        assertTrue(d.get("reinit").size() > 0);
        assertEquals(0, d.get("phases").size());
    }

    @Test void missingOrUnreadableRunEndsInOneLine() throws Exception {
        assertOneLineError(run("explain", "--run", tmp.resolve("nowhere").toString()), "nowhere", "does not exist");
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertOneLineError(run("explain", "--run", file.toString()), "file.txt", "not a run folder");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertOneLineError(run("explain", "--run", empty.toString()), "empty", "config.json");
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("config.json"), "{not json");
        Files.writeString(broken.resolve("checkpoint.safetensors"), "junk");
        assertOneLineError(run("explain", "--run", broken.toString()), "broken");
        assertOneLineError(run("explain", "--run", runDir.toString(), "--cycle", "0"), "--cycle");
        assertOneLineError(run("explain", "--run", runDir.toString(), "--cycle", "2"), "--cycle 2", "has 1 cycle");
    }

    private static double absCos(float[] x, int f, float[] y, int g, int d) {
        double dot = 0, nx = 0, ny = 0;
        for (int k = 0; k < d; k++) {
            double a = x[f * d + k], b = y[g * d + k];
            dot += a * b; nx += a * a; ny += b * b;
        }
        return nx == 0 || ny == 0 ? 0 : Math.abs(dot) / Math.sqrt(nx * ny);
    }
}
