package org.reaper.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.reaper.backend.Backend;
import org.reaper.backend.Backends;
import org.reaper.report.explain.Explain;
import org.reaper.repr.ReprOptions;
import org.reaper.repr.ReprTraining;
import org.reaper.train.Json;
import org.reaper.train.RunConfig;
import org.reaper.train.RunSummary;
import org.reaper.train.TrainRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code reaper demo}: the README's first command. Trains the paper's c3-32 on the real CIFAR-10 images it
 * finds (the full set if fetched, else the committed sample) with the standard schedule and with RePr (S1/S2/N
 * scaled to the demo's epochs), prints a comparison table and leaves runs/demo-standard and runs/demo-repr.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train c3-32 with the standard schedule and with RePr on real CIFAR-10 images and compare them.",
                "Defaults take about a minute on 2 cores (longer on a busy machine); --epochs, --train-limit and --test-limit scale it up."})
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", description = "Model (default ${DEFAULT-VALUE}, the paper's vanilla ConvNet).") String model = "c3-32";
    @Option(names = "--epochs", description = "Epochs per run (default ${DEFAULT-VALUE}).") int epochs = 12;
    @Option(names = "--train-limit", paramLabel = "N", description = "Training images (0 = all; default 0 on the sample, 5000 on full CIFAR-10).")
    Integer trainLimit;
    @Option(names = "--test-limit", paramLabel = "N", description = "Test images (0 = all; default 0 on the sample, 2000 on full CIFAR-10).")
    Integer testLimit;
    @Option(names = "--data", paramLabel = "DIR", description = "A CIFAR-10 binary folder instead of the automatic choice.") String data;
    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).") int batch = 64;
    @Option(names = "--lr", description = "Learning rate (default ${DEFAULT-VALUE}).") float lr = 0.01f;
    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).") long seed = 1;
    @Option(names = "--threads", description = "CPU threads (default: all cores).") int threads = 0;
    @Option(names = "--device", paramLabel = "cpu|cuda|cuda-emulated|auto", description = "Device (default ${DEFAULT-VALUE}).") String device = "cpu";
    @Option(names = "--out-prefix", paramLabel = "PREFIX", description = "Run folders PREFIX-standard and PREFIX-repr (default ${DEFAULT-VALUE}).")
    String outPrefix = "runs/demo";
    @Option(names = "--no-repr", description = "Run the standard schedule only.") boolean noRepr;
    @Option(names = "--max-steps-per-epoch", hidden = true, description = "Cap steps per epoch (tests).") int maxSteps = 0;

    private record Row(String variant, Path dir, RunSummary summary) {}

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Row> rows = new ArrayList<>();
        Explain.Result lesson = null;
        try (Backend backend = Backends.create(device, threads)) {
            for (boolean withRepr : noRepr ? List.of(false) : List.of(false, true)) {
                RunConfig c = config();
                ReprOptions r = reprOptions(withRepr, epochs);
                c.repr = r.effective();
                Path dir = Path.of(outPrefix + (withRepr ? "-repr" : "-standard"));
                out.println();
                out.println("== " + (withRepr ? "RePr (" + String.join(", ", r.describe().subList(1, 5)) + ")" : "standard training") + " -> " + dir);
                RunSummary s = new TrainRun(c, dir).overwrite(true).output(out, System.console() != null)
                        .first(ctx -> ReprTraining.listener(r, ctx)).run(backend);
                rows.add(new Row(withRepr ? "repr" : "standard", dir, s));
            }
            if (!noRepr) lesson = Explain.write(backend, Path.of(outPrefix + "-repr"), null, 1);
        }
        String table = table(rows);
        out.println();
        out.print(table);
        Path summary = Path.of(outPrefix + "-summary.md");
        Json.writeAtomically(summary, table);
        out.println("run folders: " + String.join(", ", rows.stream().map(r -> r.dir().toString()).toList())
                + " (curves.png, metrics.csv, summary.json, checkpoint.safetensors); table in " + summary);
        if (lesson != null) out.println("RePr explained, step by step, on the repr run: open " + lesson.page() + " in a browser (reaper explain)");
        return 0;
    }

    private RunConfig config() {
        RunConfig c = new RunConfig();
        c.model = model;
        c.data = data;
        c.dataset = data == null ? "auto" : null;
        c.epochs = epochs;
        c.batch = batch;
        c.lr = lr;
        c.momentum = 0.9f;
        c.seed = seed;
        c.threads = threads;
        c.device = device;
        c.maxStepsPerEpoch = maxSteps;
        boolean full = data != null || org.reaper.data.Cifar.preferredCifar10Dir(org.reaper.train.RunFactory.datasetsDir())
                .getFileName().toString().equals("cifar-10-batches-bin");
        c.trainLimit = trainLimit != null ? trainLimit : full ? 5000 : 0;
        c.testLimit = testLimit != null ? testLimit : full ? 2000 : 0;
        return c;
    }

    /** The paper's schedule (S1=20, S2=10, N=3 in 100+ epochs) shrunk to {@code epochs}, leaving full epochs at the end. */
    static ReprOptions reprOptions(boolean on, int epochs) {
        ReprOptions r = new ReprOptions();
        if (!on) return r;
        r.schedule = ReprOptions.Schedule.REPR;
        r.cycles = epochs >= 30 ? 3 : epochs >= 6 ? 2 : 1;
        r.s1 = Math.max(1, (int) Math.floor(epochs / (r.cycles * 1.5 + 1)));
        r.s2 = Math.max(1, (int) Math.round(r.s1 * 0.5));
        while (r.cycles > 1 && r.cycles * (r.s1 + r.s2) >= epochs) r.cycles--;
        return r;
    }

    static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| schedule | final test acc | best test acc (epoch) | time |\n");
        b.append("| --- | --- | --- | --- |\n");
        for (Row r : rows) {
            RunSummary s = r.summary();
            b.append(String.format(Locale.ROOT, "| %s | %.2f%% | %.2f%% (%d) | %.0f s |%n", r.variant(), 100 * s.finalTestAccuracy(),
                    100 * s.bestTestAccuracy(), s.bestTestEpoch(), s.totalSeconds()));
        }
        return b.toString();
    }
}
