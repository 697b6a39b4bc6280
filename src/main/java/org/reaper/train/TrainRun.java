package org.reaper.train;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;

/**
 * One training run with its folder: loads the data, builds model/optimizer/schedule, restores a checkpoint
 * when resuming, claims the folder ({@link RunFolder}), writes config.json, and trains with the standard listeners in this order: the optional
 * {@code first} listener (RePr), metrics, summary, checkpoint, curves, progress, then any extras.
 */
public final class TrainRun {
    public static final String CONFIG = "config.json";

    private final RunConfig config;
    private final Path runDir;
    private Checkpoints.Loaded resumeFrom;
    private boolean overwrite;
    private PrintWriter out = new PrintWriter(System.out, true);
    private boolean terminal;
    private Function<TrainContext, TrainListener> first = c -> null;
    private final List<TrainListener> extras = new ArrayList<>();
    private Stop stopped;
    private BooleanSupplier interrupt = () -> false;

    /** Where a run stopped on a signal: before step {@code step} (0-based) of epoch {@code epoch} (0-based). */
    public record Stop(String signal, int epoch, int step, int stepsPerEpoch, int epochs) {}

    public TrainRun(RunConfig config, Path runDir) {
        this.config = config;
        this.runDir = runDir;
    }

    /** Continue from this checkpoint (its config should be the one passed to the constructor). */
    public TrainRun resumeFrom(Checkpoints.Loaded checkpoint) { this.resumeFrom = checkpoint; return this; }

    /** Replace an earlier run's files in the folder instead of refusing. */
    public TrainRun overwrite(boolean on) { this.overwrite = on; return this; }

    public TrainRun output(PrintWriter out, boolean terminal) { this.out = out; this.terminal = terminal; return this; }

    /** A listener built from the context, added before all others (RePr); the factory may return null. */
    public TrainRun first(Function<TrainContext, TrainListener> factory) { this.first = factory; return this; }

    public TrainRun extra(TrainListener l) { extras.add(l); return this; }

    /** Stop inside the epoch, as on a signal, once this turns true (checked before every step; for tests). */
    public TrainRun interruptWhen(BooleanSupplier condition) { this.interrupt = condition; return this; }

    /** Set when the last {@link #run} stopped on SIGTERM/SIGINT/SIGUSR1 ({@link GracefulStop}); else null. */
    public Stop stopped() { return stopped; }

    /**
     * Trains; returns the summary, or null when a listener or a signal ({@link #stopped}) stopped the run early. Everything that can be checked
     * (the folder, the data, the model, the checkpoint) is checked before the folder is created or changed.
     */
    public RunSummary run(Backend backend) {
        config.validate();
        RunFolder.Intent intent = resumeFrom != null ? RunFolder.Intent.RESUME : overwrite ? RunFolder.Intent.OVERWRITE : RunFolder.Intent.NEW;
        RunFolder.check(runDir, intent);
        RunFactory.Data data = RunFactory.data(config);
        TrainSetup setup = RunFactory.setup(config, backend, data, runDir);
        if (config.name == null) config.name = runDir.toAbsolutePath().normalize().getFileName().toString();
        config.environment = Versions.environment();
        config.environment.put("backend", backend.name());
        config.environment.put("device", backend.device().toString());
        config.environment.put("threads", backend.threads());
        config.datasetInfo = data.describe();
        Trainer trainer = new Trainer(setup);
        if (resumeFrom != null) {
            if (resumeFrom.epoch() >= config.epochs)
                throw new ReaperException("the run in " + runDir + " already finished its " + config.epochs
                        + " epochs; pass a larger --epochs with --resume to train further");
            Checkpoints.restore(resumeFrom, trainer);
        }
        try (RunFolder folder = RunFolder.claim(runDir, intent); GracefulStop.Watch signals = GracefulStop.watch()) {
            out.println("run folder: " + runDir);
            Json.writeAtomically(runDir.resolve(CONFIG), Json.pretty(config) + "\n");
            trainer.addListener(first.apply(trainer.context()));
            MetricsWriter metrics = new MetricsWriter(runDir);
            trainer.addListener(metrics)
                    .addListener(new SummaryWriter(runDir))
                    .addListener(new CheckpointWriter(runDir))
                    .addListener(new CurvesPlotter(metrics, runDir))
                    .addListener(new ProgressPrinter(out, terminal));
            extras.forEach(trainer::addListener);
            RunSummary s = trainer.interruptWhen(() -> GracefulStop.requested() || interrupt.getAsBoolean()).run();
            TrainContext c = trainer.context();
            if (trainer.stoppedInsideEpoch()) stopped = new Stop(GracefulStop.requested() ? GracefulStop.signal() : "request", c.epoch(), c.stepInEpoch(), c.stepsPerEpoch(), c.totalEpochs());
            return s;
        }
    }

    /** Reads a run folder's config.json. */
    public static RunConfig readConfig(Path runDir) {
        Path f = runDir.resolve(CONFIG);
        if (!Files.isRegularFile(f))
            throw new ReaperException(runDir + " is not a run folder (no " + CONFIG + "); pass the folder a 'train --out' wrote");
        return Json.convert(Json.readMap(f), RunConfig.class);
    }
}
