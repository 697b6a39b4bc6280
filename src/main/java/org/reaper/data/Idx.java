package org.reaper.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.reaper.ReaperException;

/**
 * MNIST and Fashion-MNIST in the IDX format (LeCun's): {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each plain or gzipped ({@code .gz}; recognised by
 * its first two bytes, not its name). Images: big-endian magic 0x00000803 (unsigned bytes, 3 dimensions), count,
 * rows, columns, then the pixels row by row; labels: magic 0x00000801, count, one byte each. The header must match
 * the file's length exactly, the two counts must agree and every label must be below 10; otherwise one line names
 * the file and the fix. Images become one grey channel (1 x rows x cols).
 */
public final class Idx {
    public static final int IMAGES_MAGIC = 0x00000803, LABELS_MAGIC = 0x00000801, CLASSES = 10;
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte", TRAIN_LABELS = "train-labels-idx1-ubyte",
            TEST_IMAGES = "t10k-images-idx3-ubyte", TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** Where Debian's {@code dataset-fashion-mnist} package puts the four files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    static final String FETCH = "see datasets/README.md (Fashion-MNIST / MNIST) to fetch the four IDX files, or pass --data DIR";

    private Idx() {}

    /** True when {@code dir} holds the four IDX files (plain or .gz). */
    public static boolean isIdxFolder(Path dir) {
        for (String n : new String[] {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS}) if (find(dir, n) == null) return false;
        return true;
    }

    /** The training or test split in {@code dir}; {@code name} ("Fashion-MNIST", "MNIST") goes into the description. */
    public static ImageDataset read(Path dir, boolean train, String name) {
        String img = train ? TRAIN_IMAGES : TEST_IMAGES, lab = train ? TRAIN_LABELS : TEST_LABELS;
        Path images = find(dir, img), labels = find(dir, lab);
        if (images == null || labels == null)
            throw new ReaperException("no " + (images == null ? img : lab) + "[.gz] in " + dir + ": " + FETCH);
        return read(images, labels, name + " " + (train ? "train" : "test"));
    }

    /** One split from its two files. */
    public static ImageDataset read(Path imagesFile, Path labelsFile, String description) {
        byte[] img = bytes(imagesFile), lab = bytes(labelsFile);
        ByteBuffer ib = ByteBuffer.wrap(img), lb = ByteBuffer.wrap(lab);
        int n = header(imagesFile, ib, IMAGES_MAGIC, 16, "images (idx3-ubyte)");
        int rows = ib.getInt(8), cols = ib.getInt(12);
        if (rows < 1 || cols < 1 || n < 0)
            throw new ReaperException(imagesFile + ": the header gives " + n + " images of " + rows + "x" + cols + ", which is not an image file; " + FETCH);
        long want = 16L + (long) n * rows * cols;
        if (img.length != want)
            throw new ReaperException(imagesFile + ": " + (img.length < want ? "truncated" : "longer than its header says") + ": the header gives " + n
                    + " images of " + rows + "x" + cols + " (" + want + " bytes) but the file holds " + img.length + " bytes; fetch it again (" + FETCH + ")");
        int m = header(labelsFile, lb, LABELS_MAGIC, 8, "labels (idx1-ubyte)");
        if (lab.length != 8L + m)
            throw new ReaperException(labelsFile + ": " + (lab.length < 8L + m ? "truncated" : "longer than its header says") + ": the header gives " + m
                    + " labels but the file holds " + (lab.length - 8) + "; fetch it again (" + FETCH + ")");
        if (m != n)
            throw new ReaperException(labelsFile + " has " + m + " labels but " + imagesFile.getFileName() + " has " + n
                    + " images: the two files do not belong together; use the pair from one download (" + FETCH + ")");
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = lab[8 + i] & 0xFF;
            if (labels[i] >= CLASSES)
                throw new ReaperException(labelsFile + ": label " + labels[i] + " of image " + i + " is not a class 0-9; the file is damaged (" + FETCH + ")");
        }
        byte[] pixels = java.util.Arrays.copyOfRange(img, 16, img.length);
        return ImageDataset.fromBytes(pixels, labels, 1, rows, cols, CLASSES,
                description + ", " + n + " images " + rows + "x" + cols + " grey (" + imagesFile.getFileName() + ")");
    }

    private static int header(Path file, ByteBuffer b, int magic, int size, String what) {
        if (b.capacity() < size)
            throw new ReaperException(file + ": truncated: " + b.capacity() + " bytes, shorter than the " + size + "-byte IDX header; fetch it again (" + FETCH + ")");
        int got = b.getInt(0);
        if (got != magic)
            throw new ReaperException(String.format(Locale.ROOT, "%s: magic number 0x%08x, but IDX %s start with 0x%08x; pass the %s file (%s)",
                    file, got, what, magic, what, FETCH));
        return b.getInt(4);
    }

    /** The file's bytes, gunzipped when it starts with the gzip signature (1f 8b). */
    static byte[] bytes(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream gz = new GZIPInputStream(raw, 1 << 16)) {
                    return gz.readAllBytes();
                } catch (EOFException | ZipException e) {
                    throw new ReaperException(file + ": damaged or truncated gzip data (" + e.getMessage() + "); fetch it again (" + FETCH + ")", e);
                }
            }
            return raw.readAllBytes();
        } catch (IOException e) {
            throw new ReaperException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code dir/name}, else {@code dir/name.gz}, else null. */
    static Path find(Path dir, String name) {
        for (Path p : new Path[] {dir.resolve(name), dir.resolve(name + ".gz")}) if (Files.isRegularFile(p)) return p;
        return null;
    }
}
