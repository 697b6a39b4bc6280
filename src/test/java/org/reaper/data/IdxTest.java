package org.reaper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.ReaperException;

/** The IDX reader (MNIST, Fashion-MNIST) on small files written here: plain and gzip, and every way a file can be wrong. */
public class IdxTest {
    @TempDir Path tmp;

    static byte[] images(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(Idx.IMAGES_MAGIC).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n * rows * cols; i++) b.put((byte) (i * 7 + 3));
        return b.array();
    }

    static byte[] labels(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(Idx.LABELS_MAGIC).putInt(n);
        for (int i = 0; i < n; i++) b.put((byte) (i % 10));
        return b.array();
    }

    static byte[] gzip(byte[] a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) { gz.write(a); }
        return out.toByteArray();
    }

    /** A folder with the four files (train: n images, test: m), gzipped or plain. */
    public static Path folder(Path dir, int n, int m, boolean gz) throws IOException {
        Files.createDirectories(dir);
        String ext = gz ? ".gz" : "";
        Files.write(dir.resolve(Idx.TRAIN_IMAGES + ext), gz ? gzip(images(n, 5, 4)) : images(n, 5, 4));
        Files.write(dir.resolve(Idx.TRAIN_LABELS + ext), gz ? gzip(labels(n)) : labels(n));
        Files.write(dir.resolve(Idx.TEST_IMAGES + ext), gz ? gzip(images(m, 5, 4)) : images(m, 5, 4));
        Files.write(dir.resolve(Idx.TEST_LABELS + ext), gz ? gzip(labels(m)) : labels(m));
        return dir;
    }

    @Test void readsPlainAndGzipFilesAlike() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path dir = folder(tmp.resolve("d" + gz), 13, 6, gz);
            assertTrue(Idx.isIdxFolder(dir));
            ImageDataset train = Idx.read(dir, true, "Fashion-MNIST"), test = Idx.read(dir, false, "Fashion-MNIST");
            assertEquals(13, train.size());
            assertEquals(6, test.size());
            assertEquals(1, train.channels());
            assertEquals(5, train.height());
            assertEquals(4, train.width());
            assertEquals(10, train.numClasses());
            assertEquals(7, train.label(7));
            assertEquals(2, train.label(12));
            byte[] img = new byte[20];
            train.copyImage(2, img, 0);
            byte[] want = Arrays.copyOfRange(images(13, 5, 4), 16 + 2 * 20, 16 + 3 * 20);
            assertTrue(Arrays.equals(want, img), "image 2's pixels, row by row");
            assertTrue(train.description().startsWith("Fashion-MNIST train, 13 images 5x4 grey"), train.description());
        }
    }

    private String error(Path dir) {
        return assertThrows(ReaperException.class, () -> Idx.read(dir, true, "MNIST")).getMessage();
    }

    @Test void badFilesAreOneLineErrorsNamingTheFile() throws IOException {
        Path dir = folder(tmp.resolve("bad"), 10, 4, false);
        Path img = dir.resolve(Idx.TRAIN_IMAGES), lab = dir.resolve(Idx.TRAIN_LABELS);
        byte[] good = images(10, 5, 4);

        Files.write(img, Arrays.copyOf(good, good.length - 7));
        String e = error(dir);
        assertTrue(e.startsWith(img + ": truncated") && e.contains("216 bytes") && e.contains("209 bytes"), e);

        Files.write(img, Arrays.copyOf(good, 9));
        assertTrue(error(dir).contains("shorter than the 16-byte IDX header"), error(dir));

        Files.write(img, labels(10));                 // a labels file where the images belong
        e = error(dir);
        assertTrue(e.startsWith(img.toString()) && e.contains("magic number 0x00000801") && e.contains("0x00000803"), e);

        Files.write(img, good);
        Files.write(lab, labels(9));
        e = error(dir);
        assertTrue(e.startsWith(lab + " has 9 labels but " + Idx.TRAIN_IMAGES + " has 10 images"), e);

        byte[] badLabel = labels(10);
        badLabel[8 + 3] = 12;
        Files.write(lab, badLabel);
        assertTrue(error(dir).contains("label 12 of image 3 is not a class 0-9"), error(dir));

        Files.write(lab, labels(10));
        Files.delete(img);
        byte[] gz = gzip(good);
        Files.write(dir.resolve(Idx.TRAIN_IMAGES + ".gz"), Arrays.copyOf(gz, gz.length / 2));
        e = error(dir);
        assertTrue(e.startsWith(dir.resolve(Idx.TRAIN_IMAGES + ".gz") + ": damaged or truncated gzip data"), e);

        Files.delete(dir.resolve(Idx.TRAIN_IMAGES + ".gz"));
        e = error(dir);
        assertTrue(e.startsWith("no " + Idx.TRAIN_IMAGES + "[.gz] in " + dir) && e.contains("datasets/README.md"), e);
        for (String m : new String[] {e}) assertEquals(1, m.lines().count(), "one line");
    }

    /** Debian's dataset-fashion-mnist, when installed: the whole benchmark, as published (60,000 + 10,000 images of 28x28). */
    @Test void readsDebiansFashionMnistWhenInstalled() {
        if (!Idx.isIdxFolder(Idx.DEBIAN_FASHION_MNIST)) {
            System.out.println("IdxTest: skipped: " + Idx.DEBIAN_FASHION_MNIST + " has no IDX files (apt-get install dataset-fashion-mnist)");
            org.junit.jupiter.api.Assumptions.abort("no " + Idx.DEBIAN_FASHION_MNIST);
        }
        ImageDataset train = Idx.read(Idx.DEBIAN_FASHION_MNIST, true, "Fashion-MNIST"), test = Idx.read(Idx.DEBIAN_FASHION_MNIST, false, "Fashion-MNIST");
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(28, train.height());
        int[] perClass = new int[10];
        for (int i = 0; i < train.size(); i++) perClass[train.label(i)]++;
        for (int c : perClass) assertEquals(6_000, c, "Fashion-MNIST is balanced: 6,000 training images per class");
        Normalization n = Normalization.of(train);
        assertEquals(0.2860, n.mean()[0], 5e-4);     // the commonly quoted Fashion-MNIST statistics
        assertEquals(0.3530, n.std()[0], 5e-4);
    }
}
