package org.reaper.repr.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.reaper.ReaperException;
import org.reaper.cli.TrainCommand;
import org.reaper.train.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code study}: runs variants x seeds through the {@code train} command itself (same code path, same files per
 * run in OUT/VARIANT/seedN), skips finished runs and resumes interrupted ones, then writes study.md and study.png.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = {"Run a grid of training variants x seeds and summarise it (study.md, study.png).",
                "Variants: standard, repr, repr:key=value:flag (each part becomes a train option, e.g. repr:scope=layer:exclude-first).",
                "Options after -- are passed to every train run (e.g. -- --lr 0.01 --batch 128)."})
public final class StudyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", description = "Model for every run (default ${DEFAULT-VALUE}).") String model = "c3-32-pool";
    @Option(names = "--seeds", description = "Seeds 1..N per variant (default ${DEFAULT-VALUE}).") int seeds = 3;
    @Option(names = "--variants", split = ",", description = "Comma-separated variants (default standard,repr).") List<String> variants = List.of("standard", "repr");
    @Option(names = "--epochs", description = "Epochs per run (default ${DEFAULT-VALUE}).") int epochs = 110;
    @Option(names = "--data", paramLabel = "DIR", description = "Dataset folder (as train --data).") String data;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Study folder (runs go to DIR/VARIANT/seedN).") Path out;
    @Option(names = "--parallel", description = "Runs at the same time (default ${DEFAULT-VALUE}); CPU threads are split between them.") int parallel = 1;
    @Option(names = "--threads", description = "CPU threads in all (default: all cores).") int threads = 0;
    @Option(names = "--summarise-only", description = "Do not train; only rebuild study.md / study.png from the finished runs.") boolean summariseOnly;
    @Parameters(paramLabel = "TRAIN-OPTION", description = "Extra train options after --.") List<String> trainExtra = new ArrayList<>();

    @Override public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        if (seeds < 1) throw new ReaperException("--seeds must be at least 1");
        if (parallel < 1) throw new ReaperException("--parallel must be at least 1");
        List<Variant> vs = variants.stream().map(Variant::parse).toList();
        Files.createDirectories(out);
        if (!summariseOnly) {
            int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            int perRun = Math.max(1, cores / parallel);
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            try {
                List<Future<Integer>> jobs = new ArrayList<>();
                for (Variant v : vs)
                    for (int s = 1; s <= seeds; s++) {
                        Path dir = out.resolve(v.folder()).resolve("seed" + s);
                        List<String> args = trainArgs(v, s, dir, perRun);
                        if (args == null) { pw.println("done already: " + dir); continue; }
                        pw.println("train " + String.join(" ", args));
                        pw.flush();
                        jobs.add(pool.submit(() -> new CommandLine(new TrainCommand()).execute(args.toArray(String[]::new))));
                    }
                for (Future<Integer> j : jobs) if (j.get() != 0) pw.println("a run failed (exit " + j.get() + "); the study table lists finished runs only");
            } finally {
                pool.shutdown();
            }
        }
        StudySummary summary = StudySummary.collect(out, vs, seeds);
        summary.write(out);
        pw.println(summary.markdown());
        pw.println("wrote " + out.resolve(StudySummary.MD) + " and " + out.resolve(StudySummary.PNG));
        pw.flush();
        return 0;
    }

    /** The train arguments of one run, or null when it already finished. */
    List<String> trainArgs(Variant v, int seed, Path dir, int perRunThreads) {
        Path summary = dir.resolve("summary.json");
        if (Files.isRegularFile(summary) && Boolean.TRUE.equals(Json.readMap(summary).get("finished"))) return null;
        List<String> a = new ArrayList<>(List.of("--model", model, "--epochs", String.valueOf(epochs), "--seed", String.valueOf(seed),
                "--threads", String.valueOf(perRunThreads)));
        if (data != null) a.addAll(List.of("--data", data));
        a.addAll(trainExtra);
        a.addAll(v.trainArgs());
        if (Files.isRegularFile(dir.resolve("checkpoint.safetensors"))) a.addAll(List.of("--resume", dir.toString()));
        else a.addAll(List.of("--out", dir.toString(), "--overwrite"));
        return a;
    }

    static Map<String, Object> readMap(Path f) { return Json.readMap(f); }
}
