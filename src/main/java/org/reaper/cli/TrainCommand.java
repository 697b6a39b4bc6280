package org.reaper.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.backend.Backends;
import org.reaper.models.Models;
import org.reaper.nn.InitScheme;
import org.reaper.optim.LrSchedules;
import org.reaper.repr.ReprOptions;
import org.reaper.repr.ReprTraining;
import org.reaper.train.Checkpoints;
import org.reaper.train.EpochMetrics;
import org.reaper.train.GracefulStop;
import org.reaper.train.Json;
import org.reaper.train.RunConfig;
import org.reaper.train.RunFactory;
import org.reaper.train.RunFolder;
import org.reaper.train.RunOptionsDiff;
import org.reaper.train.RunSummary;
import org.reaper.train.TrainContext;
import org.reaper.train.TrainListener;
import org.reaper.train.TrainRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code reaper train}: one training run (standard or RePr) into runs/NAME. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model and write runs/NAME/: config.json, metrics.jsonl, metrics.csv, summary.json, "
                + "checkpoint.safetensors, curves.png.",
                "Options may come from --config FILE.json (keys = option names without dashes); flags override the file."})
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "c3-32 (default), c3-32-pool, c3-32-bn, resnet20/32/56/110, vgg16, cN-X[-pool][-bn].")
    String model = "c3-32";
    @Option(names = "--data", paramLabel = "DIR", description = "A CIFAR-10/100 binary folder, an image folder (train/<class>, val/<class>), Tiny-ImageNet, downsampled ImageNet (.npz) or a decoded cache (reaper prepare); the layout is detected.")
    String data;
    @Option(names = "--dataset", paramLabel = "NAME", description = "auto (default: full CIFAR-10 if fetched, else the sample), cifar10-sample, cifar10, cifar100, fashion-mnist, mnist, synthetic; with --data, force a layout: imagefolder, tiny-imagenet, imagenet-downsampled, decoded-cache.")
    String dataset = "auto";
    @Option(names = "--image-size", paramLabel = "S", description = "Image datasets: training crop S; evaluation resizes the shorter side to S/0.875 and cuts the centre S (default: 224; Tiny-ImageNet 64).")
    int imageSize = 0;
    @Option(names = "--skip-bad-images", description = "Image folders: decode every image first, count and leave out those that fail (default: stop at the first, naming it).")
    boolean skipBadImages;
    @Option(names = "--workers", paramLabel = "N", description = "Decode workers of the loader (default: all cores); any count gives the same batches.")
    int workers = 0;
    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).") int epochs = 10;
    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).") int batch = 128;
    @Option(names = "--optimizer", paramLabel = "sgd|adam|adamw", description = "Optimizer (default ${DEFAULT-VALUE}).") String optimizer = "sgd";
    @Option(names = "--lr", description = "Learning rate (default ${DEFAULT-VALUE}).") float lr = 0.01f;
    @Option(names = "--momentum", description = "SGD momentum (default ${DEFAULT-VALUE}).") float momentum = 0.9f;
    @Option(names = "--dampening", description = "SGD dampening (default ${DEFAULT-VALUE}).") float dampening = 0f;
    @Option(names = "--wd", description = "Weight decay (L2; default ${DEFAULT-VALUE}).") float wd = 0f;
    @Option(names = "--nesterov", description = "Nesterov momentum.") boolean nesterov;
    @Option(names = "--schedule-lr", paramLabel = "constant|step|cosine|cyclic", description = "LR schedule (default ${DEFAULT-VALUE}).")
    String scheduleLr = "constant";
    @Option(names = "--milestones", split = ",", paramLabel = "E1,E2", description = "Epochs where 'step' multiplies the LR by --gamma (default: 50%% and 75%%).")
    int[] milestones;
    @Option(names = "--gamma", description = "LR factor of the step schedule (default ${DEFAULT-VALUE}).") float gamma = 0.1f;
    @Option(names = "--warmup", paramLabel = "EPOCHS", description = "Linear LR warm-up epochs (default ${DEFAULT-VALUE}).") int warmup = 0;
    @Option(names = "--augment", description = "Pad-4 random crop + horizontal flip (image datasets: RandomResizedCrop + flip).") boolean augment;
    @Option(names = "--val", paramLabel = "N", description = "Hold out N training images for validation (default ${DEFAULT-VALUE}).") int val = 0;
    @Option(names = "--seed", description = "Seed of every random draw (default ${DEFAULT-VALUE}).") long seed = 1;
    @Option(names = "--init", paramLabel = "pytorch-default|he-normal", description = "Weight init (default ${DEFAULT-VALUE}).") String init = "pytorch-default";
    @Option(names = "--label-smoothing", description = "Label smoothing (default ${DEFAULT-VALUE}).") float labelSmoothing = 0f;
    @Option(names = "--ortho-penalty", paramLabel = "LAMBDA", description = "Add LAMBDA * sum over conv layers of ||W^ W^^T - I||_F^2 to the training loss "
            + "(W^: the layer's filters as rows, each scaled to unit length; dropped filters left out; default ${DEFAULT-VALUE} = off).")
    float orthoPenalty = 0f;
    @Option(names = "--ortho-penalty-layers", paramLabel = "all|exclude-first", description = "Conv layers the penalty covers: all (default) or all but the first "
            + "(its own choice: RePr's --exclude-first does not change it).")
    String orthoPenaltyLayers = "all";
    @Option(names = "--threads", description = "CPU threads (default: all cores).") int threads = 0;
    @Option(names = "--device", paramLabel = "cpu|cuda|cuda-emulated|auto", description = "Device (default ${DEFAULT-VALUE}).") String device = "cpu";
    @Option(names = "--train-limit", paramLabel = "N", description = "Use only the first N training images (0 = all).") int trainLimit = 0;
    @Option(names = "--test-limit", paramLabel = "N", description = "Use only the first N test images (0 = all).") int testLimit = 0;
    @Option(names = "--eval-batch", paramLabel = "N", description = "Evaluation batch size (default ${DEFAULT-VALUE}).") int evalBatch = 500;
    @Option(names = "--max-steps-per-epoch", paramLabel = "N", description = "Cap steps per epoch, for quick tests (0 = no cap).") int maxStepsPerEpoch = 0;
    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default runs/MODEL-SCHEDULE-sSEED).") Path out;
    @Option(names = "--overwrite", description = "Replace the files of an earlier run in --out.") boolean overwrite;
    @Option(names = "--config", paramLabel = "FILE.json", description = "Read options from a JSON file (flags override it).") Path config;
    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its checkpoint with its recorded options (only --epochs, --threads, --device and --eval-batch may change).")
    Path resume;
    @Option(names = "--profile-steps", paramLabel = "A:B", description = "Bracket steps A..B-1 with cuProfilerStart/Stop (for nsys/ncu; CUDA only).")
    String profileSteps;
    @Option(names = "--stop-after-epoch", hidden = true, description = "Stop cleanly after this epoch (tests of resume).") int stopAfterEpoch = 0;

    @Mixin ReprOptions repr;

    /** A checked run: what {@link #plan} found, ready to train. */
    record Plan(RunConfig config, ReprOptions repr, Path dir, Checkpoints.Loaded checkpoint, List<String> warnings) {
        TrainRun toRun(boolean overwrite) {
            TrainRun run = ReprTraining.trainRun(config, repr, dir).overwrite(overwrite);
            return checkpoint == null ? run : run.resumeFrom(checkpoint);
        }
    }

    @Override public Integer call() {
        PrintWriter pw = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Plan p = plan();
        for (String w : p.warnings()) err.println("reaper: warning: " + w);
        err.flush();
        TrainRun run = p.toRun(overwrite).output(pw, System.console() != null);
        if (stopAfterEpoch > 0) run.extra(stopAfter(stopAfterEpoch));
        ProfileSteps window = ProfileSteps.parse(profileSteps);
        if (window != null) run.extra(window.listener());
        RunSummary s;
        try (Backend backend = Backends.create(device, threads)) {
            s = run.run(backend);
        }
        if (run.stopped() != null) {
            err.println("reaper: " + describe(run.stopped()) + "; continue with: reaper train --resume " + p.dir());
            return GracefulStop.EXIT_CODE;
        }
        if (s == null) pw.println("stopped after epoch " + stopAfterEpoch + "; continue with: train --resume " + p.dir());
        return 0;
    }

    /** "stopped by SIGTERM before step 4/8 of epoch 2/3 (checkpoint written)". */
    static String describe(TrainRun.Stop st) {
        return "stopped by " + st.signal() + " before step " + (st.step() + 1) + "/" + st.stepsPerEpoch() + " of epoch " + (st.epoch() + 1) + "/"
                + st.epochs() + " (checkpoint written)";
    }

    /** The run's options, checked: the config (data resolved to an absolute folder), RePr options and warnings. */
    record Options(RunConfig config, ReprOptions repr, List<String> warnings) {}

    /**
     * Checks everything that can be checked before a file is touched (values, combinations, RePr settings that
     * cannot apply, the run folder, and on resume the recorded options and the checkpoint's integrity).
     */
    Plan plan() {
        Set<String> given = givenOptions();
        if (resume != null) {
            for (String f : List.of("out", "overwrite"))
                if (given.contains(f)) throw new ReaperException("--" + f + " cannot be combined with --resume: the run continues in its own folder");
        }
        if (out != null && out.toString().isBlank()) throw new ReaperException("--out is empty; pass the name of a new or empty folder");
        Options o = options();
        RunConfig c = o.config();
        Path dir = resume != null ? resume : out != null ? out : Path.of("runs", model + "-" + repr.schedule.label() + "-s" + seed);
        RunFolder.check(dir, resume != null ? RunFolder.Intent.RESUME : overwrite ? RunFolder.Intent.OVERWRITE : RunFolder.Intent.NEW);
        Checkpoints.Loaded ck = null;
        if (resume != null) {
            List<String> diff = RunOptionsDiff.between(Json.readMap(resume.resolve(TrainRun.CONFIG)), c, RunOptionsDiff.RESUMABLE);
            if (!diff.isEmpty())
                throw new ReaperException("--resume " + resume + ": " + String.join(", ", diff) + " would change the run midway; "
                        + "on resume only --epochs, --threads, --device and --eval-batch may change (start a new run for other options)");
            ck = Checkpoints.read(requireCheckpoint(resume));
        }
        return new Plan(c, o.repr(), dir, ck, o.warnings());
    }

    /** The options alone, checked without looking at any run folder (the study plans its folders itself). */
    Options options() {
        RunConfig c = toConfig();
        c.validate();
        Models.check(c.model);
        InitScheme.parse(c.init);
        LrSchedules.parse(c.scheduleLr, c.lr, c.epochs, c.milestones, c.gamma, c.warmup);
        if (stopAfterEpoch < 0) throw new ReaperException("--stop-after-epoch must be >= 0 (got " + stopAfterEpoch + ")");
        Set<String> given = givenOptions();
        String sched = c.scheduleLr.trim().toLowerCase(java.util.Locale.ROOT), opt = c.optimizer.trim().toLowerCase(java.util.Locale.ROOT);
        for (String f : List.of("milestones", "gamma"))
            if (given.contains(f) && !sched.equals("step") && !sched.equals("multistep"))
                throw new ReaperException("--" + f + " applies only with --schedule-lr step (now " + c.scheduleLr + "); add it or leave --" + f + " out");
        for (String f : List.of("momentum", "dampening", "nesterov"))
            if (given.contains(f) && !opt.equals("sgd"))
                throw new ReaperException("--" + f + " applies only with --optimizer sgd (now " + c.optimizer + "); leave --" + f + " out");
        if (given.contains("ortho-penalty-layers") && c.orthoPenalty == 0f)
            throw new ReaperException("--ortho-penalty-layers applies only with --ortho-penalty LAMBDA > 0; add it or leave --ortho-penalty-layers out");
        List<String> warnings = repr.checkApplies(epochs, given);
        c.repr = repr.effective();
        Path folder = RunFactory.resolveSource(c);
        if (folder != null && !Files.isDirectory(folder))
            throw new ReaperException((data != null ? "--data " + data : "the " + c.dataset + " dataset") + ": no such folder (" + folder + ")"
                    + (data != null ? "" : RunFactory.FASHION_MNIST.equals(c.dataset) || RunFactory.MNIST.equals(c.dataset)
                            ? "; see datasets/README.md (Fashion-MNIST on Debian: apt-get install dataset-fashion-mnist), or pass --data DIR"
                            : "; fetch it with the script in datasets/, or pass --data DIR"));
        return new Options(c, repr, warnings);
    }

    /** The options set on the command line or in a --config file (long names without dashes). */
    private Set<String> givenOptions() {
        Set<String> given = new HashSet<>();
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        if (pr != null) for (var o : pr.matchedOptions()) given.add(o.longestName().replaceFirst("^-+", ""));
        if (spec.defaultValueProvider() instanceof ConfigDefaults d) given.addAll(d.givenKeys());
        return given;
    }

    /** Parses train arguments (reading --config / --resume defaults as {@code reaper train} does) without running them. */
    static TrainCommand parse(List<String> args) {
        TrainCommand cmd = new TrainCommand();
        CommandLine cl = configure(new CommandLine(cmd), args.toArray(String[]::new));
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new ReaperException(CliErrors.oneLine(e.getMessage()));
        }
        return cmd;
    }

    /** The settings {@code reaper train} parses with: defaults from --config or --resume, case-insensitive enums. */
    static CommandLine configure(CommandLine train, String[] args) {
        train.setCaseInsensitiveEnumValuesAllowed(true);
        train.setOverwrittenOptionsAllowed(true);
        ConfigDefaults defaults = ConfigDefaults.fromArgs(args, train.getCommandSpec());
        if (defaults != null) train.setDefaultValueProvider(defaults);
        return train;
    }

    RunConfig toConfig() {
        RunConfig c = new RunConfig();
        c.model = model;
        c.data = data;
        c.dataset = data != null && "auto".equals(dataset) ? null : dataset;
        c.epochs = epochs;
        c.batch = batch;
        c.optimizer = optimizer;
        c.lr = lr;
        c.momentum = momentum;
        c.dampening = dampening;
        c.weightDecay = wd;
        c.nesterov = nesterov;
        c.scheduleLr = scheduleLr;
        c.milestones = milestones;
        c.gamma = gamma;
        c.warmup = warmup;
        c.augment = augment;
        c.val = val;
        c.seed = seed;
        c.init = init;
        c.labelSmoothing = labelSmoothing;
        c.threads = threads;
        c.device = device;
        c.trainLimit = trainLimit;
        c.testLimit = testLimit;
        c.evalBatch = evalBatch;
        c.maxStepsPerEpoch = maxStepsPerEpoch;
        c.imageSize = imageSize;
        c.skipBadImages = skipBadImages;
        c.workers = workers;
        c.orthoPenalty = orthoPenalty;
        c.orthoPenaltyLayers = orthoPenaltyLayers;
        return c;
    }

    private static Path requireCheckpoint(Path runDir) {
        Path f = runDir.resolve(Checkpoints.FILE);
        if (!f.toFile().isFile())
            throw new ReaperException("--resume " + runDir + ": no " + Checkpoints.FILE + " (the run did not finish an epoch); start it again without --resume");
        return f;
    }

    private static TrainListener stopAfter(int epochs) {
        return new TrainListener() {
            @Override public void onEpochEnd(TrainContext c, EpochMetrics m) { if (m.epoch() + 1 >= epochs) c.requestStop(); }
        };
    }
}
