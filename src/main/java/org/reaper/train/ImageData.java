package org.reaper.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.data.DownsampledImageNet;
import org.reaper.data.ImageDataset;
import org.reaper.data.ImageFiles;
import org.reaper.data.ImageFolder;
import org.reaper.data.TinyImageNet;
import org.reaper.data.cache.CacheMeta;
import org.reaper.data.cache.CachedImages;

/**
 * The ImageNet-style layouts behind {@code --data DIR}: image folders, Tiny-ImageNet, downsampled ImageNet
 * (.npz) and Reaper's decoded cache. Picks the reader for a folder and gives its train and test (val) sets.
 */
public final class ImageData {
    public static final String IMAGE_FOLDER = "imagefolder", TINY = "tiny-imagenet", DOWNSAMPLED = "imagenet-downsampled",
            CACHE = "decoded-cache";
    public static final List<String> KINDS = List.of(IMAGE_FOLDER, TINY, DOWNSAMPLED, CACHE);
    /** --image-size when none is given: the layout's own size, 224 for full-size images. */
    static final int DEFAULT_IMAGE_SIZE = 224, TINY_SIZE = 64;

    private ImageData() {}

    /** The layout of {@code dir}, or null when it is none of these (a CIFAR folder). */
    public static String detect(Path dir) {
        if (CacheMeta.isCache(dir)) return CACHE;
        if (TinyImageNet.looksLike(dir)) return TINY;
        if (DownsampledImageNet.looksLike(dir)) return DOWNSAMPLED;
        if (ImageFolder.looksLike(dir)) return IMAGE_FOLDER;
        return null;
    }

    /** Train and test sets, the class names and the bad images skipped. */
    public record Loaded(ImageDataset train, ImageDataset test, List<String> classes, List<String> skipped) {}

    /** The file splits of a folder layout, for {@code reaper prepare}. */
    public record Files(List<String> classes, Map<String, ImageFiles> splits) {}

    public static Files files(Path dir, String kind) {
        ImageFolder.Split train = switch (kind) {
            case IMAGE_FOLDER -> ImageFolder.train(dir);
            case TINY -> TinyImageNet.train(dir);
            default -> throw new ReaperException(dir + " is a " + kind + " dataset: only image folders and Tiny-ImageNet are decoded into a cache");
        };
        ImageFolder.Split val = kind.equals(TINY) ? TinyImageNet.val(dir, train.classes()) : ImageFolder.val(dir, train.classes());
        Map<String, ImageFiles> splits = new LinkedHashMap<>();
        splits.put("train", train.files());
        splits.put("val", val.files());
        return new Files(train.classes(), splits);
    }

    public static Loaded load(Path dir, String kind, int imageSize, boolean skipBad, int workers) {
        switch (kind) {
            case DOWNSAMPLED -> {
                ImageDataset train = DownsampledImageNet.read(dir, true), test = DownsampledImageNet.read(dir, false);
                if (imageSize != 0 && imageSize != train.height())
                    throw new ReaperException("--image-size " + imageSize + " does not apply: " + dir + " holds " + train.height() + "x"
                            + train.width() + " images (leave --image-size out)");
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= DownsampledImageNet.CLASSES; i++) names.add(Integer.toString(i));
                return new Loaded(train, test, names, List.of());
            }
            case CACHE -> {
                CacheMeta meta = CacheMeta.read(dir);
                int size = imageSize == 0 ? Math.min(DEFAULT_IMAGE_SIZE, meta.size()) : imageSize;
                return new Loaded(cached(dir, "train", meta, size, workers), cached(dir, "val", meta, size, workers), meta.classes(), List.of());
            }
            case IMAGE_FOLDER, TINY -> {
                int size = imageSize != 0 ? imageSize : kind.equals(TINY) ? TINY_SIZE : DEFAULT_IMAGE_SIZE;
                Files f = files(dir, kind);
                List<String> skipped = new ArrayList<>();
                ImageFiles train = f.splits().get("train"), val = f.splits().get("val");
                if (skipBad) {
                    train = train.withoutBad(workers, skipped);
                    val = val.withoutBad(workers, skipped);
                }
                String what = kind.equals(TINY) ? "Tiny-ImageNet " : "image folder ";
                return new Loaded(ofFiles(train, f.classes(), size, workers, what + "train " + dir),
                        ofFiles(val, f.classes(), size, workers, what + "val " + dir), f.classes(), skipped);
            }
            default -> throw new ReaperException("unknown image dataset kind '" + kind + "'; use one of " + String.join(", ", KINDS));
        }
    }

    public static String parseKind(String name) {
        String k = name.trim().toLowerCase(Locale.ROOT);
        return KINDS.contains(k) ? k : null;
    }

    private static ImageDataset ofFiles(ImageFiles files, List<String> classes, int size, int workers, String description) {
        if (files.size() == 0) throw new ReaperException("no readable images left in " + description);
        return ImageDataset.ofSource(files, files.labels(), size, classes.size(),
                description + ", " + String.format(Locale.ROOT, "%,d", files.size()) + " images at " + size + "x" + size).withDecodeWorkers(workers);
    }

    private static ImageDataset cached(Path dir, String split, CacheMeta meta, int size, int workers) {
        CachedImages images = CachedImages.open(dir, split);
        if (images.size() == 0) throw new ReaperException("the " + split + " split of the decoded cache " + dir + " holds no images");
        return ImageDataset.ofSource(images, images.labels(), size, meta.classes().size(),
                "decoded cache " + split + " " + dir + " (from " + meta.source() + "), " + String.format(Locale.ROOT, "%,d", images.size())
                        + " images at " + size + "x" + size).withDecodeWorkers(workers);
    }
}
