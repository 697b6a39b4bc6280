package org.reaper.data;

import org.reaper.ReaperException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Downsampled ImageNet (Chrabaszcz, Loshchilov and Hutter 2017) in its published {@code .npz} files:
 * {@code train_data_batch_1.npz .. train_data_batch_10.npz} and {@code val_data.npz} (anywhere below
 * {@code DIR}), each with {@code data} (N x 3*S*S uint8, CHW like CIFAR) and {@code labels} (1..1000).
 * Uncompressed members are memory-mapped; labels become 0..999.
 */
public final class DownsampledImageNet {
    public static final int CLASSES = 1000;

    private DownsampledImageNet() {}

    public static boolean looksLike(Path dir) { return !files(dir, "val_data").isEmpty(); }

    public static ImageDataset read(Path dir, boolean train) {
        List<Path> files = files(dir, train ? "train_data_batch_" : "val_data");
        if (files.isEmpty())
            throw new ReaperException("no " + (train ? "train_data_batch_*.npz" : "val_data.npz") + " below " + dir + " (downsampled ImageNet)");
        List<ImageDataset.Segment> segments = new ArrayList<>();
        List<int[]> labelParts = new ArrayList<>();
        int side = -1;
        for (Path f : files) {
            Map<String, Npz.Array> arrays = Npz.read(f);
            Npz.Array data = arrays.get("data"), labels = arrays.get("labels");
            if (data == null || labels == null)
                throw new ReaperException(f + " has no 'data' and 'labels' arrays of little-endian integers (C order)");
            if (data.shape().length != 2 || !data.dtype().endsWith("u1"))
                throw new ReaperException(f + ": 'data' must be N x 3*S*S uint8, got " + data.dtype() + " " + java.util.Arrays.toString(data.shape()));
            int n = Math.toIntExact(data.shape()[0]), row = Math.toIntExact(data.shape()[1]);
            int s = (int) Math.round(Math.sqrt(row / 3.0));
            if (3 * s * s != row) throw new ReaperException(f + ": rows of " + row + " bytes are not 3 x S x S images");
            if (side >= 0 && s != side) throw new ReaperException(f + " holds " + s + "x" + s + " images, an earlier file " + side + "x" + side);
            side = s;
            if (labels.count() != n) throw new ReaperException(f + ": " + labels.count() + " labels for " + n + " images");
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                long v = labels.integer(i);
                if (v < 1 || v > CLASSES) throw new ReaperException(f + ": label " + v + " of image " + i + " is outside 1..1000");
                l[i] = (int) v - 1;
            }
            segments.add(new ImageDataset.Segment(data.data(), n, row, 0));
            labelParts.add(l);
        }
        int[] all = labelParts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        return ImageDataset.ofSegments(segments, all, 3, side, side, CLASSES,
                "downsampled ImageNet " + side + "x" + side + " " + (train ? "train" : "val") + " (" + files.size() + " files)");
    }

    /** The .npz files below {@code dir} whose names start with {@code prefix}, by batch number. */
    static List<Path> files(Path dir, String prefix) {
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".npz"))
                    .sorted(Comparator.comparingInt(DownsampledImageNet::batchNumber).thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new ReaperException("cannot list " + dir + ": " + e);
        }
    }

    private static int batchNumber(Path p) {
        String digits = p.getFileName().toString().replaceAll("\\D", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits.substring(Math.max(0, digits.length() - 6)));
    }
}
