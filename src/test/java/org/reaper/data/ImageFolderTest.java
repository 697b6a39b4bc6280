package org.reaper.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.ReaperException;

/** Folder layouts (ImageFolder, ImageNet's flat val + labels file, Tiny-ImageNet), their errors, and the loader over them. */
class ImageFolderTest {
    @Test void classesSortedByFolderNameAndValLabelledByName(@TempDir Path dir) throws Exception {
        TestImages.imageFolder(dir, 3);
        ImageFolder.Split train = ImageFolder.train(dir);
        assertEquals(List.of("cat", "dog", "ship"), train.classes());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2}, train.files().labels());
        ImageFolder.Split val = ImageFolder.val(dir, train.classes());
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, val.files().labels());
        // PNG members decode to exactly the pixels written
        assertArrayEquals(TestImages.raw(TestImages.image(0, 24, 40)).pixels(), train.files().read(0).pixels());
    }

    @Test void imagenetFlatValWithLabelsFile(@TempDir Path dir) throws Exception {
        TestImages.imageFolder(dir, 2);
        Path val = dir.resolve("val");
        List<String> lines = new ArrayList<>(List.of("ImageId,PredictionString"));
        java.util.Map<String, Integer> expected = new java.util.HashMap<>();
        for (String cls : List.of("ship", "cat")) {
            for (Path f : ImageFolder.images(val.resolve(cls))) {
                String name = f.getFileName().toString();
                Files.move(f, val.resolve(name));
                lines.add(name.substring(0, name.lastIndexOf('.')) + "," + cls + " 1 2 3 4");   // Kaggle's CSV: no extension
                expected.put("val/" + name, cls.equals("ship") ? 2 : 0);
            }
        }
        for (Path f : ImageFolder.images(val.resolve("dog"))) Files.delete(f);
        for (String cls : List.of("cat", "dog", "ship")) Files.delete(val.resolve(cls));
        Files.write(dir.resolve("LOC_val_solution.csv"), lines);
        ImageFolder.Split v = ImageFolder.val(dir, ImageFolder.train(dir).classes());
        assertEquals(4, v.files().size());
        for (int i = 0; i < 4; i++) assertEquals(expected.get(v.files().name(i)), v.files().label(i), v.files().name(i));
    }

    @Test void emptyClassAndMismatchedClassesAreErrors(@TempDir Path dir) throws Exception {
        TestImages.imageFolder(dir, 1);
        Files.createDirectories(dir.resolve("train/zebra"));
        ReaperException empty = assertThrows(ReaperException.class, () -> ImageFolder.train(dir));
        assertTrue(empty.getMessage().contains("zebra") && empty.getMessage().contains("no JPEG or PNG"), empty.getMessage());
        Files.delete(dir.resolve("train/zebra"));
        Files.move(dir.resolve("val/ship"), dir.resolve("val/boat"));
        ReaperException mismatch = assertThrows(ReaperException.class, () -> ImageFolder.val(dir, ImageFolder.train(dir).classes()));
        assertTrue(mismatch.getMessage().contains("'boat'") && mismatch.getMessage().contains("not a training class"), mismatch.getMessage());
    }

    @Test void tinyImageNetLayout(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("wnids.txt"), List.of("n02", "n01"));
        List<String> ann = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            String wnid = c == 0 ? "n01" : "n02";
            for (int k = 0; k < 2; k++)
                TestImages.write(TestImages.image(c * 2 + k, 64, 64), dir.resolve("train/" + wnid + "/images/" + wnid + "_" + k + ".JPEG"));
            TestImages.write(TestImages.image(10 + c, 64, 64), dir.resolve("val/images/val_" + c + ".JPEG"));
            ann.add("val_" + c + ".JPEG\t" + wnid + "\t0\t0\t63\t63");
        }
        Files.write(dir.resolve("val/val_annotations.txt"), ann);
        ImageFolder.Split train = TinyImageNet.train(dir);
        assertEquals(List.of("n01", "n02"), train.classes());
        assertArrayEquals(new int[] {0, 0, 1, 1}, train.files().labels());
        assertArrayEquals(new int[] {0, 1}, TinyImageNet.val(dir, train.classes()).files().labels());
    }

    @Test void skipBadImagesCountsAndLeavesThemOut(@TempDir Path dir) throws Exception {
        TestImages.imageFolder(dir, 3);
        Path bad = ImageFolder.images(dir.resolve("train/dog")).get(1);
        TestImages.truncate(bad, 100);
        ImageFiles files = ImageFolder.train(dir).files();
        List<String> skipped = new ArrayList<>();
        ImageFiles good = files.withoutBad(2, skipped);
        assertEquals(files.size() - 1, good.size());
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).contains(bad.getFileName().toString()), skipped.get(0));
        // without skipping, the loader stops at it and names it
        ImageDataset ds = ImageDataset.ofSource(files, files.labels(), 32, 3, "t");
        try (BatchLoader l = new BatchLoader(ds, 4, false, false, Augmentation.NONE, Normalization.imagenet(), 1)) {
            Iterator<Batch> it = l.epoch(0);
            ReaperException e = assertThrows(ReaperException.class, () -> { while (it.hasNext()) it.next(); });
            assertTrue(e.getMessage().contains(bad.getFileName().toString()), e.getMessage());
        }
    }

    @Test void batchesAreTheSameWhateverTheNumberOfDecodeWorkers(@TempDir Path dir) throws Exception {
        TestImages.imageFolder(dir, 5);
        ImageFiles files = ImageFolder.train(dir).files();
        ImageDataset one = ImageDataset.ofSource(files, files.labels(), 20, 3, "t");
        List<float[]> reference = batches(one, Augmentation.imagenet(), 0, 1);
        for (int workers : new int[] {1, 3, 4}) {
            List<float[]> got = batches(one.withDecodeWorkers(workers), Augmentation.imagenet(), 0, 1);
            assertEquals(reference.size(), got.size());
            for (int i = 0; i < got.size(); i++) assertArrayEquals(reference.get(i), got.get(i), "workers " + workers + ", array " + i);
        }
        List<float[]> epoch1 = batches(one.withDecodeWorkers(3), Augmentation.imagenet(), 1, 1);
        assertTrue(!java.util.Arrays.equals(reference.get(0), epoch1.get(0)), "epoch 1 draws other crops than epoch 0");
        // evaluation view: resize + centre crop, deterministic
        assertArrayEquals(batches(one, Augmentation.NONE, 0, 0).get(0), batches(one.withDecodeWorkers(4), Augmentation.NONE, 0, 0).get(0));
    }

    /** Images and labels of every batch of epochs {@code from..to}. */
    private static List<float[]> batches(ImageDataset ds, Augmentation aug, int from, int to) {
        List<float[]> out = new ArrayList<>();
        try (BatchLoader l = new BatchLoader(ds, 4, true, false, aug, Normalization.imagenet(), 9)) {
            for (int e = from; e <= to; e++) {
                Iterator<Batch> it = l.epoch(e);
                while (it.hasNext()) {
                    Batch b = it.next();
                    out.add(b.images().clone());
                    out.add(b.labels().clone());
                }
            }
        }
        return out;
    }
}
