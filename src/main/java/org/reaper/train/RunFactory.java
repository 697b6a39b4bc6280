package org.reaper.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.data.Augmentation;
import org.reaper.data.Cifar;
import org.reaper.data.Idx;
import org.reaper.data.ImageDataset;
import org.reaper.data.Normalization;
import org.reaper.data.Splits;
import org.reaper.data.SyntheticData;
import org.reaper.models.Model;
import org.reaper.models.Models;
import org.reaper.nn.InitScheme;
import org.reaper.optim.Adam;
import org.reaper.optim.LrSchedule;
import org.reaper.optim.LrSchedules;
import org.reaper.optim.Optimizer;
import org.reaper.optim.Sgd;
import org.reaper.rng.RandomStream;

/** Builds a run's pieces from its {@link RunConfig}: the data splits, the model, the optimizer and the LR schedule. */
public final class RunFactory {
    public static final String SAMPLE = "cifar10-sample", CIFAR10 = "cifar10", CIFAR100 = "cifar100", SYNTHETIC = "synthetic", AUTO = "auto";
    /** The IDX datasets (28x28 grey, 10 classes; {@link Idx}). */
    public static final String MNIST = "mnist", FASHION_MNIST = "fashion-mnist";
    private static final int SYNTHETIC_TRAIN = 2000, SYNTHETIC_TEST = 500;

    private RunFactory() {}

    /** The training split (after --train-limit and --val), the validation split (or null), the test set, and the normalisation. */
    public record Data(ImageDataset train, ImageDataset val, ImageDataset test, Normalization normalization, String kind, Path folder,
                       List<String> classNames) {
        public Data(ImageDataset train, ImageDataset val, ImageDataset test, Normalization normalization, String kind, Path folder) {
            this(train, val, test, normalization, kind, folder, null);
        }


        /** The dataset block of config.json. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            if (folder != null) m.put("folder", folder.toString());
            m.put("train", train.description());
            m.put("train_images", train.size());
            m.put("val_images", val == null ? 0 : val.size());
            m.put("test", test.description());
            m.put("test_images", test.size());
            m.put("classes", train.numClasses());
            if (classNames != null) m.put("class_names", classNames);
            if (train.hasSourceImages()) m.put("image_size", train.height());
            m.put("normalization", Map.of("mean", normalization.mean(), "std", normalization.std()));
            return m;
        }
    }

    /**
     * Resolves what the config names without reading it: sets {@code c.dataset} to the kind used and {@code c.data}
     * to the absolute folder given with --data (so config.json works from any directory); returns the folder or null.
     */
    public static Path resolveSource(RunConfig c) {
        Path folder;
        String kind;
        if (c.data != null && !c.data.isBlank()) {
            folder = Path.of(c.data).toAbsolutePath().normalize();
            String given = c.dataset == null ? null : c.dataset.trim().toLowerCase(Locale.ROOT);
            String image = given != null ? ImageData.parseKind(given) : java.nio.file.Files.isDirectory(folder) && !Idx.isIdxFolder(folder) ? ImageData.detect(folder) : null;
            if (MNIST.equals(given) || FASHION_MNIST.equals(given)) kind = given;
            else if (given == null && Idx.isIdxFolder(folder)) kind = folder.toString().toLowerCase(Locale.ROOT).contains("fashion") ? FASHION_MNIST : MNIST;
            else kind = image != null ? image : CIFAR100.equals(c.dataset) || looksLikeCifar100(folder) ? CIFAR100 : CIFAR10;
            c.data = folder.toString();
        } else {
            kind = c.dataset == null ? AUTO : c.dataset.trim().toLowerCase(Locale.ROOT);
            Path datasets = datasetsDir();
            switch (kind) {
                case AUTO -> {
                    folder = Cifar.preferredCifar10Dir(datasets);
                    kind = folder.getFileName().toString().equals("cifar-10-sample") ? SAMPLE : CIFAR10;
                }
                case SAMPLE -> folder = datasets.resolve("cifar-10-sample");
                case CIFAR10 -> folder = datasets.resolve("cifar-10-batches-bin");
                case CIFAR100 -> folder = datasets.resolve("cifar-100-binary");
                case SYNTHETIC -> folder = null;
                case FASHION_MNIST -> folder = Files.isDirectory(datasets.resolve(FASHION_MNIST)) || !Files.isDirectory(Idx.DEBIAN_FASHION_MNIST)
                        ? datasets.resolve(FASHION_MNIST) : Idx.DEBIAN_FASHION_MNIST;
                case MNIST -> folder = datasets.resolve(MNIST);
                default -> throw new ReaperException("unknown --dataset '" + c.dataset + "'; use cifar10-sample, cifar10, cifar100, fashion-mnist, mnist or synthetic, or pass --data DIR");
            }
        }
        c.dataset = kind;
        return folder;
    }

    /** Loads the data the config names (see {@link #resolveSource}). */
    public static Data data(RunConfig c) {
        ImageDataset train, test;
        Path folder = resolveSource(c);
        String kind = c.dataset;
        if (ImageData.KINDS.contains(kind)) return imageData(c, folder);
        if (c.imageSize != 0 || c.skipBadImages)
            throw new ReaperException((c.imageSize != 0 ? "--image-size" : "--skip-bad-images") + " applies only to image datasets (--data with an image folder, Tiny-ImageNet, downsampled ImageNet or a decoded cache)");
        if (SYNTHETIC.equals(kind)) {
            int nTrain = c.trainLimit > 0 ? c.trainLimit : SYNTHETIC_TRAIN, nTest = c.testLimit > 0 ? c.testLimit : SYNTHETIC_TEST;
            ImageDataset all = SyntheticData.random(nTrain + nTest, 10, c.seed);
            train = all.subset(range(0, nTrain), "synthetic train, " + nTrain + " images (seed " + c.seed + ")");
            test = all.subset(range(nTrain, nTest), "synthetic test, " + nTest + " images (seed " + c.seed + ")");
        } else if (MNIST.equals(kind) || FASHION_MNIST.equals(kind)) {
            String name = MNIST.equals(kind) ? "MNIST" : "Fashion-MNIST";
            train = Idx.read(folder, true, name);
            test = Idx.read(folder, false, name);
        } else if (CIFAR100.equals(kind)) {
            train = Cifar.cifar100(folder, true);
            test = Cifar.cifar100(folder, false);
        } else {
            train = Cifar.cifar10(folder, true);
            test = Cifar.cifar10(folder, false);
        }
        train = limit(train, c.trainLimit, "--train-limit");
        test = limit(test, c.testLimit, "--test-limit");
        ImageDataset[] split = Splits.trainVal(train, c.val, c.seed);
        return new Data(split[0], split[1], test, Normalization.of(split[0]), kind, folder == null ? null : folder.toAbsolutePath().normalize());
    }

    private static Data imageData(RunConfig c, Path folder) {
        int workers = c.workers > 0 ? c.workers : Runtime.getRuntime().availableProcessors();
        ImageData.Loaded d = ImageData.load(folder, c.dataset, c.imageSize, c.skipBadImages, workers);
        if (!d.skipped().isEmpty()) {
            System.err.println("reaper: warning: skipped " + d.skipped().size() + " unreadable image(s) (--skip-bad-images); first: " + d.skipped().get(0));
        }
        ImageDataset train = limit(d.train(), c.trainLimit, "--train-limit"), test = limit(d.test(), c.testLimit, "--test-limit");
        ImageDataset[] split = Splits.trainVal(train, c.val, c.seed);
        return new Data(split[0], split[1], test, Normalization.imagenet(), c.dataset, folder, d.classes());
    }

    /** Model, optimizer and schedule for {@code c}; the model is initialised from {@code rng}. */
    public static TrainSetup setup(RunConfig c, Backend backend, Data data, Path runDir) {
        RandomStream rng = new RandomStream(c.seed);
        ImageDataset t = data.train();
        Model model = Models.create(c.model, backend, rng, t.numClasses(), InitScheme.parse(c.init), new Models.Input(t.channels(), t.height(), t.width()));
        Optimizer opt = optimizer(c, backend, model);
        LrSchedule schedule = LrSchedules.parse(c.scheduleLr, c.lr, c.epochs, c.milestones, c.gamma, c.warmup);
        c.scheduleDescription = schedule.describe();
        return new TrainSetup(backend, model, opt, schedule, data.train(), data.val(), data.test(), data.normalization(),
                !c.augment ? Augmentation.NONE : data.train().hasSourceImages() ? Augmentation.imagenet() : Augmentation.standard(), c, runDir, rng);
    }

    static Optimizer optimizer(RunConfig c, Backend backend, Model model) {
        if (!(c.lr > 0) || !Float.isFinite(c.lr)) throw new ReaperException("--lr must be a positive number (got " + c.lr + ")");
        if (c.momentum < 0 || c.momentum >= 1) throw new ReaperException("--momentum must lie in [0, 1) (got " + c.momentum + ")");
        if (c.weightDecay < 0) throw new ReaperException("--wd must be >= 0 (got " + c.weightDecay + ")");
        return switch (c.optimizer.trim().toLowerCase(Locale.ROOT)) {
            case "sgd" -> {
                if (c.nesterov && c.momentum == 0) throw new ReaperException("--nesterov needs --momentum > 0");
                yield new Sgd(backend, model.namedParameters(), c.lr, c.momentum, c.dampening, c.weightDecay, c.nesterov);
            }
            case "adam" -> new Adam(backend, model.namedParameters(), c.lr, 0.9f, 0.999f, 1e-8f, c.weightDecay, false);
            case "adamw" -> new Adam(backend, model.namedParameters(), c.lr, 0.9f, 0.999f, 1e-8f, c.weightDecay, true);
            default -> throw new ReaperException("unknown --optimizer '" + c.optimizer + "'; use sgd, adam or adamw");
        };
    }

    /** The project's datasets/ folder: in the working directory, else beside the folder holding the jar or classes. */
    public static Path datasetsDir() {
        Path here = Path.of("datasets");
        if (Files.isDirectory(here)) return here;
        try {
            Path code = Path.of(RunFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code.getParent(); p != null; p = p.getParent()) {
                Path d = p.resolve("datasets");
                if (Files.isDirectory(d)) return d;
            }
        } catch (Exception ignored) {
            // no code source (unusual class loaders): fall back to the working directory
        }
        return here;
    }

    private static boolean looksLikeCifar100(Path dir) {
        return Files.isRegularFile(dir.resolve("train.bin")) || Files.isRegularFile(dir.resolve("cifar-100-binary").resolve("train.bin"));
    }

    private static ImageDataset limit(ImageDataset d, int n, String flag) {
        if (n < 0) throw new ReaperException(flag + " must be >= 0 (got " + n + ")");
        if (n == 0 || n >= d.size()) return d;
        return d.subset(range(0, n), "first " + n + " images of " + d.description());
    }

    private static int[] range(int from, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = from + i;
        return r;
    }
}
