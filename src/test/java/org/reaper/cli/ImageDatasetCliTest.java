package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.data.TestImages;

/** train and prepare on image folders through the CLI: files written, top-5 and per-class accuracy, one-line errors. */
class ImageDatasetCliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static List<String> train(Path data, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--model", "resnet18-small", "--data", data.toString(), "--image-size", "16",
                "--epochs", "1", "--batch", "4", "--max-steps-per-epoch", "1", "--threads", "2", "--workers", "2", "--augment", "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    /** The same run with a small CIFAR-style net at 32 px (the ResNet path is covered once, above). */
    static List<String> small(List<String> args) {
        List<String> a = new ArrayList<>(args);
        a.set(a.indexOf("resnet18-small"), "c2-8-pool");
        a.set(a.indexOf("--image-size") + 1, "32");
        return a;
    }

    @Test void trainsFromAnImageFolderAndFromItsCache(@TempDir Path dir) throws Exception {
        Path data = TestImages.imageFolder(dir.resolve("folder"), 3);
        Cli.Result r = Cli.run(train(data, dir.resolve("run")));
        assertEquals(0, r.code(), r.err());
        JsonNode config = JSON.readTree(dir.resolve("run/config.json").toFile());
        assertEquals("imagefolder", config.get("dataset").asText());
        assertEquals("[\"cat\",\"dog\",\"ship\"]", config.get("dataset-info").get("class_names").toString());
        JsonNode summary = JSON.readTree(dir.resolve("run/summary.json").toFile());
        assertEquals(1.0, summary.get("final_test_top5").asDouble(), "3 classes: the label is always among the top 5");
        assertEquals(3, summary.get("final_test_acc_per_class").size());
        assertTrue(Files.readString(dir.resolve("run/metrics.jsonl")).contains("\"test_top5\""));
        Cli.Result e = Cli.run("eval", "--checkpoint", dir.resolve("run").toString(), "--json", "--threads", "2");
        assertEquals(0, e.code(), e.err());
        JsonNode ev = JSON.readTree(e.out().lines().reduce((x, y) -> y).orElseThrow());
        assertEquals(6, ev.get("images").asInt());
        assertEquals(summary.get("final_test_acc").asDouble(), ev.get("accuracy").asDouble(), 1e-9, "eval sees the run's 16-px evaluation view");
        assertEquals(1.0, ev.get("top5").asDouble());

        Cli.Result p = Cli.run("prepare", "--data", data.toString(), "--size", "20", "--out", dir.resolve("cache").toString(), "--threads", "2");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("train: 9 images written, 0 bad skipped"), p.out());
        Cli.Result c = Cli.run(small(train(dir.resolve("cache"), dir.resolve("run-cached"))));
        assertEquals(0, c.code(), c.err());
        assertEquals("decoded-cache", JSON.readTree(dir.resolve("run-cached/config.json").toFile()).get("dataset").asText());
        assertTrue(c.out().matches("(?s).*img/s \\(\\d+\\.\\d\\d s waiting for data\\).*"), "the epoch line says how long the steps waited for the loader: " + c.out());
    }

    @Test void userErrorsAreOneLineAndChangeNothing(@TempDir Path dir) throws Exception {
        Path data = TestImages.imageFolder(dir.resolve("folder"), 2);
        Map<String, String> before = Cli.snapshot(dir);
        Cli.assertOneLineError(Cli.run("train", "--dataset", "cifar10-sample", "--image-size", "64", "--out", dir.resolve("r1").toString()),
                "--image-size applies only to image datasets");
        Cli.assertOneLineError(Cli.run(train(data, dir.resolve("r2"), "--workers", "-1")), "--workers");
        Cli.assertOneLineError(Cli.run("prepare", "--data", dir.resolve("nope").toString(), "--out", dir.resolve("c").toString()), "no such folder");
        List<String> vgg = train(data, dir.resolve("r4"));
        vgg.set(vgg.indexOf("resnet18-small"), "vgg16-imagenet");
        Cli.assertOneLineError(Cli.run(vgg), "vgg16-imagenet needs images of at least 32x32", "--image-size 32");
        assertFalse(Files.exists(dir.resolve("r4")), "refused before the run folder is made");
        Files.move(data.resolve("val/ship"), data.resolve("val/boat"));
        before = Cli.snapshot(dir);
        Cli.assertOneLineError(Cli.run(train(data, dir.resolve("r3"))), "'boat'", "not a training class");
        assertEquals(before, Cli.snapshot(dir));
        assertFalse(Files.exists(dir.resolve("r3")));
    }

    @Test void aBadImageIsNamedOrSkipped(@TempDir Path dir) throws Exception {
        Path data = TestImages.imageFolder(dir.resolve("folder"), 2);
        Path bad = data.resolve("val/dog/img_009.jpg");
        TestImages.truncate(bad, 80);
        Cli.Result r = Cli.run(small(train(data, dir.resolve("run"))));
        assertTrue(r.code() != 0 && r.err().contains("img_009.jpg"), r.err());
        Cli.Result s = Cli.run(small(train(data, dir.resolve("skip"), "--skip-bad-images")));
        assertEquals(0, s.code(), s.err());
        assertEquals(5, JSON.readTree(dir.resolve("skip/config.json").toFile()).get("dataset-info").get("test_images").asInt());
        Cli.Result p = Cli.run("prepare", "--data", data.toString(), "--size", "20", "--out", dir.resolve("cache").toString());
        assertTrue(p.out().contains("val: 5 images written, 1 bad skipped"), p.out());
    }
}
