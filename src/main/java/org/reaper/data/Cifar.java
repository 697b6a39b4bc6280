package org.reaper.data;

import org.reaper.ReaperException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Readers for the official CIFAR <em>binary</em> layout (Krizhevsky 2009). The files are memory-mapped;
 * the record count comes from the file size.
 * <ul>
 * <li>CIFAR-10: records of 1 label byte (0..9) + 3,072 pixel bytes (1,024 red, 1,024 green, 1,024 blue,
 *     each plane row-major 32x32). Training = data_batch_1.bin .. data_batch_5.bin, test = test_batch.bin.
 *     The training batches present must be a contiguous prefix data_batch_1 .. data_batch_k (k &ge; 1),
 *     so a reduced copy such as datasets/cifar-10-sample (batches 1 and 2) loads, while a gap
 *     (1, 2, 4) is an error.</li>
 * <li>CIFAR-100: train.bin / test.bin, records of 1 coarse label (0..19) + 1 fine label (0..99) + 3,072
 *     pixel bytes; the fine label is used.</li>
 * </ul>
 */
public final class Cifar {
    public static final int CHANNELS = 3, SIZE = 32, IMAGE_BYTES = CHANNELS * SIZE * SIZE;
    public static final int CIFAR10_RECORD = 1 + IMAGE_BYTES, CIFAR100_RECORD = 2 + IMAGE_BYTES;
    public static final int CIFAR10_BATCHES = 5;
    static final String CIFAR10_SUBFOLDER = "cifar-10-batches-bin", CIFAR100_SUBFOLDER = "cifar-100-binary";
    private static final String FETCH10 = "run datasets/fetch-cifar10.sh or pass --data DIR";
    private static final String FETCH100 = "run datasets/fetch-cifar100.sh or pass --data DIR";

    private Cifar() {}

    /** CIFAR-10 from {@code dir} (a folder with the .bin files, or one holding cifar-10-batches-bin/). */
    public static ImageDataset cifar10(Path dir, boolean train) {
        Path folder = resolve(dir, CIFAR10_SUBFOLDER, "data_batch_1.bin", "test_batch.bin", "CIFAR-10", FETCH10);
        List<Path> files = new ArrayList<>();
        if (train) {
            for (int k = 1; k <= CIFAR10_BATCHES; k++) {
                Path f = folder.resolve("data_batch_" + k + ".bin");
                if (Files.isRegularFile(f)) files.add(f);
            }
            if (files.isEmpty())
                throw new ReaperException("no CIFAR-10 training batches (data_batch_1.bin ...) in " + folder + ": " + FETCH10);
            for (int k = 1; k <= files.size(); k++) {
                if (!files.get(k - 1).getFileName().toString().equals("data_batch_" + k + ".bin"))
                    throw new ReaperException("data_batch_" + k + ".bin is missing in " + folder + " while a later batch is present"
                            + " (the batches must be data_batch_1 .. data_batch_k without gaps): " + FETCH10);
            }
        } else {
            Path f = folder.resolve("test_batch.bin");
            if (!Files.isRegularFile(f))
                throw new ReaperException("test_batch.bin not found in " + folder + ": " + FETCH10);
            files.add(f);
        }
        return read(files, CIFAR10_RECORD, 0, 10, -1, 0,
                "CIFAR-10 " + (train ? "train" : "test"), folder, FETCH10);
    }

    /** CIFAR-100 (fine labels) from {@code dir} (a folder with train.bin/test.bin, or one holding cifar-100-binary/). */
    public static ImageDataset cifar100(Path dir, boolean train) {
        Path folder = resolve(dir, CIFAR100_SUBFOLDER, "train.bin", "test.bin", "CIFAR-100", FETCH100);
        Path f = folder.resolve(train ? "train.bin" : "test.bin");
        if (!Files.isRegularFile(f))
            throw new ReaperException(f.getFileName() + " not found in " + folder + ": " + FETCH100);
        return read(List.of(f), CIFAR100_RECORD, 1, 100, 0, 20,
                "CIFAR-100 " + (train ? "train" : "test"), folder, FETCH100);
    }

    /**
     * The CIFAR-10 folder to use under a project's {@code datasets/} folder: the full dataset
     * (cifar-10-batches-bin, as fetched by datasets/fetch-cifar10.sh) when present, else the committed sample.
     */
    public static Path preferredCifar10Dir(Path datasetsDir) {
        Path full = datasetsDir.resolve(CIFAR10_SUBFOLDER);
        if (Files.isRegularFile(full.resolve("data_batch_1.bin")) && Files.isRegularFile(full.resolve("test_batch.bin")))
            return full;
        return datasetsDir.resolve("cifar-10-sample");
    }

    private static Path resolve(Path dir, String subfolder, String trainFile, String testFile, String name, String fix) {
        if (!Files.exists(dir))
            throw new ReaperException(name + " folder " + dir + " does not exist: " + fix);
        if (!Files.isDirectory(dir))
            throw new ReaperException(name + " path " + dir + " is not a folder: " + fix);
        Path folder = dir;
        Path sub = dir.resolve(subfolder);
        if (!Files.isRegularFile(dir.resolve(trainFile)) && !Files.isRegularFile(dir.resolve(testFile)) && Files.isDirectory(sub))
            folder = sub;
        return folder.toAbsolutePath().normalize();
    }

    /**
     * Maps the files and reads their labels. {@code labelByte} is the used label's position in a record;
     * {@code otherLabelByte} (or -1) is a second label byte checked against {@code otherLabelClasses}.
     */
    private static ImageDataset read(List<Path> files, int recordBytes, int labelByte, int numClasses,
                                     int otherLabelByte, int otherLabelClasses, String name, Path folder, String fix) {
        List<ImageDataset.Segment> segments = new ArrayList<>();
        int[] counts = new int[files.size()];
        long total = 0;
        for (int s = 0; s < files.size(); s++) {
            Path f = files.get(s);
            long bytes = sizeOf(f);
            if (bytes == 0)
                throw new ReaperException(f + " is empty: " + fix);
            if (bytes > Integer.MAX_VALUE)
                throw new ReaperException(f + " is " + ImageDataset.count(bytes) + " bytes, larger than any CIFAR file (wrong file?): " + fix);
            if (bytes % recordBytes != 0)
                throw new ReaperException(f + " is " + ImageDataset.count(bytes) + " bytes, not a multiple of the "
                        + ImageDataset.count(recordBytes) + "-byte record (truncated?): " + fix);
            total += bytes / recordBytes;
            if (total > Integer.MAX_VALUE / 2)
                throw new ReaperException("too many records in " + folder + " for one dataset");
            counts[s] = (int) (bytes / recordBytes);
            segments.add(new ImageDataset.Segment(map(f), counts[s], recordBytes, recordBytes - IMAGE_BYTES));
        }
        int[] labels = new int[(int) total];
        int next = 0;
        for (int s = 0; s < segments.size(); s++) {
            ByteBuffer b = segments.get(s).bytes();
            for (int r = 0; r < counts[s]; r++) {
                int label = b.get(r * recordBytes + labelByte) & 0xFF;
                if (label >= numClasses)
                    throw new ReaperException(files.get(s) + " record " + r + ": label " + label + " is out of range 0.."
                            + (numClasses - 1) + " (corrupt file?): " + fix);
                if (otherLabelByte >= 0) {
                    int other = b.get(r * recordBytes + otherLabelByte) & 0xFF;
                    if (other >= otherLabelClasses)
                        throw new ReaperException(files.get(s) + " record " + r + ": coarse label " + other + " is out of range 0.."
                                + (otherLabelClasses - 1) + " (corrupt file?): " + fix);
                }
                labels[next++] = label;
            }
        }
        String description = name + ", " + ImageDataset.count(total) + " images from " + folder;
        return ImageDataset.ofSegments(segments, labels, CHANNELS, SIZE, SIZE, numClasses, description);
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new ReaperException("cannot read " + f + ": " + e.getMessage());
        }
    }

    private static MappedByteBuffer map(Path f) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        } catch (IOException e) {
            throw new ReaperException("cannot read " + f + ": " + e.getMessage());
        }
    }
}
