package org.reaper.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.reaper.backend.Backend;
import org.reaper.backend.Backends;
import org.reaper.report.explain.Explain;
import org.reaper.repr.ReprOptions;
import org.reaper.repr.ReprTraining;
import org.reaper.train.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code reaper explain}: writes one self-contained web page that walks through a RePr cycle of a run (training a small one first without --run). */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write one self-contained HTML page (works offline) that teaches a RePr cycle of a run, and print a text summary.",
                "With --run it uses that run's snapshots, repr.jsonl and plots; without, it first trains --model for S1 + S2 + 1 epochs with one cycle."})
public final class ExplainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--run", paramLabel = "DIR", description = "A run folder (train, demo or study).") Path run;
    @Option(names = "--out", paramLabel = "FILE", description = "The page (default RUN/explain.html).") Path out;
    @Option(names = "--cycle", paramLabel = "K", description = "Which cycle to explain (default ${DEFAULT-VALUE}).") int cycle = 1;
    @Option(names = "--model", description = "Without --run: model to train first (default ${DEFAULT-VALUE}).") String model = "c3-32-pool";
    @Option(names = "--data", paramLabel = "DIR", description = "Without --run: CIFAR binary folder (default: the committed sample).") String data;
    @Option(names = "--dataset", description = "Without --run: dataset name (default ${DEFAULT-VALUE}).") String dataset = "cifar10-sample";
    @Option(names = "--s1", paramLabel = "EPOCHS", description = "Without --run: full epochs before the drop (default ${DEFAULT-VALUE}).") int s1 = 4;
    @Option(names = "--s2", paramLabel = "EPOCHS", description = "Without --run: sub-network epochs (default ${DEFAULT-VALUE}).") int s2 = 2;
    @Option(names = "--prune", paramLabel = "FRACTION", description = "Without --run: fraction dropped (default ${DEFAULT-VALUE}).") double prune = 0.3;
    @Option(names = "--train-limit", paramLabel = "N", description = "Without --run: training images (0 = all).") int trainLimit = 0;
    @Option(names = "--run-out", paramLabel = "DIR", description = "Without --run: the run folder to train into (default runs/explain-MODEL).") Path runOut;
    @Option(names = "--seed", description = "Without --run: seed (default ${DEFAULT-VALUE}).") long seed = 1;
    @Option(names = "--threads", description = "CPU threads (default: all cores).") int threads = 0;
    @Option(names = "--device", paramLabel = "cpu|cuda|cuda-emulated|auto", description = "Device (default ${DEFAULT-VALUE}).") String device = "cpu";
    @Option(names = "--max-steps-per-epoch", hidden = true, description = "Cap steps per epoch (tests).") int maxSteps = 0;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = Backends.create(device, threads)) {
            Path dir = run != null ? run : trainFirst(backend, out);
            Explain.Result r = Explain.write(backend, dir, this.out, cycle);
            out.print(r.summary());
            out.printf(Locale.ROOT, "page: %s (%.0f KB); open it in a browser%n", r.page(), r.bytes() / 1024.0);
        }
        return 0;
    }

    private Path trainFirst(Backend backend, PrintWriter out) {
        Path dir = runOut != null ? runOut : Path.of("runs", "explain-" + model);
        RunConfig c = new RunConfig();
        c.model = model;
        c.data = data;
        c.dataset = data == null ? dataset : null;
        c.epochs = s1 + s2 + 1;
        c.batch = 64;
        c.lr = 0.01f;
        c.momentum = 0.9f;
        c.seed = seed;
        c.threads = threads;
        c.device = device;
        c.trainLimit = trainLimit;
        c.maxStepsPerEpoch = maxSteps;
        ReprOptions r = ReprOptions.oneCycle(s1, s2, prune);
        r.validate();
        c.repr = r.effective();
        out.println("training " + model + " for " + c.epochs + " epochs with one RePr cycle (S1 = " + s1 + ", S2 = " + s2 + ") -> " + dir);
        ReprTraining.trainRun(c, r, dir).overwrite(true).output(out, System.console() != null).run(backend);
        return dir;
    }
}
