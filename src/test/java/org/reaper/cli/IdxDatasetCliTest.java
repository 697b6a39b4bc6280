package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reaper.cli.Cli.assertOneLineError;
import static org.reaper.cli.Cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.data.IdxTest;
import org.reaper.train.Json;

/** train on IDX files (MNIST / Fashion-MNIST layout): --data DIR detected, --dataset forcing the name, augmentation on grey images. */
class IdxDatasetCliTest {
    @TempDir Path tmp;

    private static List<String> train(Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--model", "c2-8-pool", "--epochs", "1", "--batch", "16", "--threads", "1",
                "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test void trainsOnAnIdxFolderWithAugmentation() throws Exception {
        Path data = IdxTest.folder(tmp.resolve("fashion-small"), 48, 16, true);
        Path r = tmp.resolve("run");
        Cli.Result ok = run(train(r, "--data", data.toString(), "--augment", "--val", "8"));
        assertEquals(0, ok.code(), ok.err());
        Map<String, Object> cfg = Json.readMap(r.resolve("config.json"));
        assertEquals("fashion-mnist", cfg.get("dataset"), "a folder named fashion: Fashion-MNIST");
        Map<?, ?> info = (Map<?, ?>) cfg.get("dataset-info");
        assertEquals(40, ((Number) info.get("train_images")).intValue());
        assertEquals(1, ((List<?>) ((Map<?, ?>) info.get("normalization")).get("mean")).size(), "one grey channel");
        // eval builds the model for the run's grey 28 x 28 images and gives the run's own final test accuracy
        Cli.Result ev = run("eval", "--checkpoint", r.toString(), "--json", "--threads", "1");
        assertEquals(0, ev.code(), ev.err());
        assertEquals(((Number) Json.readMap(r.resolve("summary.json")).get("final_test_acc")).doubleValue(),
                ((Number) Json.parseMap(ev.out().strip(), "eval").get("accuracy")).doubleValue(), 1e-9);
        Path r2 = tmp.resolve("run2");
        Cli.Result forced = run(train(r2, "--data", data.toString(), "--dataset", "mnist"));
        assertEquals(0, forced.code(), forced.err());
        assertEquals("mnist", Json.readMap(r2.resolve("config.json")).get("dataset"));
    }

    @Test void aBadIdxFileStopsTheRunBeforeItsFolderIsMade() throws Exception {
        Path data = IdxTest.folder(tmp.resolve("mnist-bad"), 48, 16, false);
        Path labels = data.resolve("t10k-labels-idx1-ubyte");
        Files.write(labels, java.util.Arrays.copyOf(Files.readAllBytes(labels), 12));
        Path r = tmp.resolve("run");
        assertOneLineError(run(train(r, "--data", data.toString())), labels.toString(), "truncated", "fetch it again");
        assertFalse(Files.exists(r), "no run folder");
        String e = assertOneLineError(run(train(r, "--model", "c5-8-pool", "--data", IdxTest.folder(tmp.resolve("ok"), 16, 8, false).toString())),
                "poolings do not fit a 5x4 input");
        assertTrue(e.contains("use at most 2 layers"), e);
    }
}
