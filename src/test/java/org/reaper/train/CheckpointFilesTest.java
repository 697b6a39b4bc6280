package org.reaper.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.backend.Backend;
import org.reaper.backend.cpu.CpuBackend;

/** The run folder's files: atomic checkpoints (readers never see half a file, no temp file left), metrics, summary, plot, config. */
class CheckpointFilesTest {
    @TempDir Path tmp;

    @Test void checkpointsAreAtomicAndRunFilesHoldOneRowPerEpoch() throws Exception {
        Path dir = tmp.resolve("run");
        RunConfig c = ResumeTest.config();
        c.epochs = 3;
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> readerErrors = new ArrayList<>();
        int[] reads = {0};
        Thread reader = new Thread(() -> {
            Path f = dir.resolve(Checkpoints.FILE);
            while (writing.get()) {
                if (!Files.exists(f)) continue;
                try {
                    Checkpoints.Loaded l = Checkpoints.read(f);
                    if (l.epoch() < 1) readerErrors.add("epoch " + l.epoch());
                    reads[0]++;
                } catch (RuntimeException e) {
                    readerErrors.add(e.getMessage());
                }
            }
        });
        reader.start();
        RunSummary s;
        try (Backend b = new CpuBackend(2)) {
            s = new TrainRun(c, dir).output(new PrintWriter(new StringWriter()), false).extra(new TrainListener() {
                @Override public void onEpochEnd(TrainContext ctx, EpochMetrics m) {
                    for (int i = 0; i < 5; i++) Checkpoints.write(dir.resolve(Checkpoints.FILE), ctx, m.epoch() + 1);
                    m.extra().put("late_column", m.epoch() * 10);   // after the metrics writer: not in this row
                }
            }).first(ctx -> new TrainListener() {
                @Override public void onEpochEnd(TrainContext ctx2, EpochMetrics m) {
                    if (m.epoch() >= 1) m.extra().put("note", "a,b");
                    ctx2.state().put("test.count", ((Number) ctx2.state().getOrDefault("test.count", 0)).intValue() + 1);
                }
            }).run(b);
        } finally {
            writing.set(false);
            reader.join();
        }
        assertNotNull(s);
        assertTrue(readerErrors.isEmpty(), "a reader saw a broken checkpoint: " + readerErrors);
        assertTrue(reads[0] > 0, "the reader read checkpoints while they were rewritten");
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left behind");
        }

        Checkpoints.Loaded ck = Checkpoints.read(dir.resolve(Checkpoints.FILE));
        assertEquals(3, ck.epoch());
        assertEquals(3, ((Number) ck.state().get("test.count")).intValue(), "listener state travels in the checkpoint");
        assertEquals("c2-8-pool", ck.model());
        assertTrue(ck.tensors().containsKey("features.0.weight") || ck.tensors().keySet().stream().anyMatch(k -> k.endsWith(".weight")));

        List<Map<String, Object>> rows = MetricsWriter.readRows(dir.resolve(MetricsWriter.JSONL));
        assertEquals(3, rows.size());
        assertEquals(1, rows.get(0).get("epoch"));
        assertEquals("full", rows.get(0).get("phase"));
        assertFalse(rows.get(0).containsKey("note"));
        assertEquals("a,b", rows.get(2).get("note"));
        assertTrue(((Number) rows.get(2).get("test_acc")).doubleValue() >= 0);
        List<String> csv = Files.readAllLines(dir.resolve(MetricsWriter.CSV));
        assertEquals(4, csv.size(), "header + one line per epoch");
        assertTrue(csv.get(0).startsWith("epoch,phase,lr,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,seconds,images_per_s"));
        assertTrue(csv.get(0).endsWith(",note"), csv.get(0));
        assertTrue(csv.get(3).endsWith(",\"a,b\""), "commas are quoted: " + csv.get(3));

        Map<String, Object> summary = Json.readMap(dir.resolve(SummaryWriter.FILE));
        assertEquals(true, summary.get("finished"));
        assertEquals(s.bestTestAccuracy(), ((Number) summary.get("best_test_acc")).doubleValue());
        byte[] png = Files.readAllBytes(dir.resolve(CurvesPlotter.FILE));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "curves.png is a PNG");
        Map<String, Object> config = Json.readMap(dir.resolve(TrainRun.CONFIG));
        assertEquals(7, ((Number) config.get("seed")).intValue());
        assertEquals("cosine", config.get("schedule-lr"));
        assertTrue(config.get("environment") instanceof Map<?, ?> env && env.containsKey("java"));
        assertTrue(config.get("dataset-info") instanceof Map<?, ?> d && ((Number) d.get("val_images")).intValue() == 40);
    }

    @Test void shadedBandsCoverTheEpochsOfOtherPhases() {
        List<Map<String, Object>> rows = List.of(Map.of("epoch", 1, "phase", "full"), Map.of("epoch", 2, "phase", "pruned"),
                Map.of("epoch", 3, "phase", "pruned"), Map.of("epoch", 4, "phase", "full"), Map.of("epoch", 5, "phase", "pruned"));
        List<double[]> bands = CurvesPlotter.bands(rows);
        assertEquals(2, bands.size());
        assertEquals(1.0, bands.get(0)[0]);
        assertEquals(3.0, bands.get(0)[1]);
        assertEquals(4.0, bands.get(1)[0]);
        assertEquals(5.0, bands.get(1)[1]);
    }
}
