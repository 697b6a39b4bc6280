package org.reaper.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.ReaperException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Crafted files: layout decoding and one clear message per user error. */
class CifarBadFilesTest {
    @TempDir Path tmp;

    private static String fails(Runnable r) {
        ReaperException e = assertThrows(ReaperException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test void missingDir() {
        Path nope = tmp.resolve("nope");
        String m = fails(() -> Cifar.cifar10(nope, true));
        assertTrue(m.contains(nope.toString()) && m.contains("does not exist") && m.contains("datasets/fetch-cifar10.sh")
                && m.contains("--data DIR"), m);
    }

    @Test void emptyDir() {
        String m = fails(() -> Cifar.cifar10(tmp, true));
        assertTrue(m.contains("no CIFAR-10 training batches") && m.contains("datasets/fetch-cifar10.sh"), m);
        m = fails(() -> Cifar.cifar10(tmp, false));
        assertTrue(m.contains("test_batch.bin not found") && m.contains("datasets/fetch-cifar10.sh"), m);
        m = fails(() -> Cifar.cifar100(tmp, true));
        assertTrue(m.contains("train.bin not found") && m.contains("datasets/fetch-cifar100.sh"), m);
    }

    @Test void truncatedFile() throws IOException {
        Path f = CifarTestFiles.cifar10File(tmp, "data_batch_1.bin", 1, 0, 1);
        Files.write(f, java.util.Arrays.copyOf(Files.readAllBytes(f), 2 * 3073 - 100));
        String m = fails(() -> Cifar.cifar10(tmp, true));
        assertTrue(m.contains(f.getFileName().toString()) && m.contains("6,046 bytes") && m.contains("3,073-byte record")
                && m.contains("truncated?"), m);
    }

    @Test void wrongSizeAndEmptyFile() throws IOException {
        Files.write(tmp.resolve("test_batch.bin"), new byte[3074 * 3]); // CIFAR-100 records in a CIFAR-10 file
        String m = fails(() -> Cifar.cifar10(tmp, false));
        assertTrue(m.contains("test_batch.bin is 9,222 bytes"), m);
        Files.write(tmp.resolve("test_batch.bin"), new byte[0]);
        m = fails(() -> Cifar.cifar10(tmp, false));
        assertTrue(m.contains("test_batch.bin is empty"), m);
    }

    @Test void labelOutOfRange() throws IOException {
        CifarTestFiles.cifar10File(tmp, "data_batch_1.bin", 1, 3, 9);
        CifarTestFiles.cifar10File(tmp, "data_batch_2.bin", 2, 0, 10, 4);
        String m = fails(() -> Cifar.cifar10(tmp, true));
        assertTrue(m.contains("data_batch_2.bin record 1: label 10 is out of range 0..9"), m);
    }

    @Test void gapInBatchesIsAnError() throws IOException {
        for (int k : new int[] {1, 2, 4}) CifarTestFiles.cifar10File(tmp, "data_batch_" + k + ".bin", k, 1, 2);
        String m = fails(() -> Cifar.cifar10(tmp, true));
        assertTrue(m.contains("data_batch_3.bin is missing"), m);
        Files.delete(tmp.resolve("data_batch_1.bin"));
        Files.delete(tmp.resolve("data_batch_4.bin"));
        m = fails(() -> Cifar.cifar10(tmp, true));
        assertTrue(m.contains("data_batch_1.bin is missing"), m);
    }

    @Test void contiguousPrefixLoadsAcrossFiles() throws IOException {
        Path sub = tmp.resolve("cifar-10-batches-bin");
        CifarTestFiles.cifar10File(sub, "data_batch_1.bin", 1, 3, 9);
        CifarTestFiles.cifar10File(sub, "data_batch_2.bin", 2, 0, 5, 4);
        ImageDataset ds = Cifar.cifar10(tmp, true); // the parent folder: the subfolder is found
        assertEquals(5, ds.size());
        assertArrayEquals(new int[] {3, 9, 0, 5, 4}, new int[] {ds.label(0), ds.label(1), ds.label(2), ds.label(3), ds.label(4)});
        byte[] img = new byte[3072];
        ds.copyImage(3, img, 0);
        for (int p = 0; p < 3072; p++) assertEquals(CifarTestFiles.pixel(2, 1, p), img[p]);
        assertTrue(ds.description().contains("5 images from") && ds.description().contains("cifar-10-batches-bin"), ds.description());
        // a subset of a multi-file dataset reads the right records
        ImageDataset sub2 = ds.subset(new int[] {4, 0}, "two");
        sub2.copyImage(0, img, 0);
        assertEquals(CifarTestFiles.pixel(2, 2, 17), img[17]);
        assertEquals(4, sub2.label(0));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 0, 0, 0, 0, 0}, sub2.labelCounts());
    }

    @Test void cifar100UsesFineLabelAndChecksBoth() throws IOException {
        Path sub = tmp.resolve("cifar-100-binary");
        CifarTestFiles.cifar100File(sub, "train.bin", 5, new int[] {1, 19, 0}, new int[] {5, 99, 0});
        ImageDataset ds = Cifar.cifar100(tmp, true);
        assertEquals(3, ds.size());
        assertEquals(100, ds.numClasses());
        assertEquals(99, ds.label(1));
        byte[] img = new byte[3072];
        ds.copyImage(2, img, 0);
        for (int p = 0; p < 3072; p++) assertEquals(CifarTestFiles.pixel(5, 2, p), img[p]);

        CifarTestFiles.cifar100File(sub, "test.bin", 5, new int[] {1, 2}, new int[] {5, 100});
        String m = fails(() -> Cifar.cifar100(tmp, false));
        assertTrue(m.contains("test.bin record 1: label 100 is out of range 0..99"), m);
        CifarTestFiles.cifar100File(sub, "test.bin", 5, new int[] {20}, new int[] {5});
        m = fails(() -> Cifar.cifar100(tmp, false));
        assertTrue(m.contains("record 0: coarse label 20 is out of range 0..19"), m);
        Files.write(sub.resolve("test.bin"), new byte[3073 * 2]);
        m = fails(() -> Cifar.cifar100(tmp, false));
        assertTrue(m.contains("not a multiple of the 3,074-byte record") && m.contains("fetch-cifar100.sh"), m);
    }
}
