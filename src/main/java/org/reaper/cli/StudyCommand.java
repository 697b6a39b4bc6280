package org.reaper.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.reaper.ReaperException;
import org.reaper.study.StudyFolder;
import org.reaper.study.StudyPlanner;
import org.reaper.study.StudyRun;
import org.reaper.study.StudyRunner;
import org.reaper.study.StudySummary;
import org.reaper.study.Variant;
import org.reaper.train.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code study}: parses every variant x seed as a train command line and checks it before anything trains, lets the
 * study package plan (reuse, resume, refuse changed options) and run the grid, then writes study.md and study.png.
 * Exits non-zero when a run failed, with its error in the table.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = {"Run a grid of training variants x seeds and summarise it (study.md, study.png).",
                "Variants: standard, repr, repr:key=value:flag (each part becomes a train option, e.g. repr:scope=layer:exclude-first).",
                "Options after -- are passed to every train run (e.g. -- --lr 0.01 --batch 128).",
                "Finished runs are reused and interrupted ones resumed only when their recorded options equal the requested ones."})
public final class StudyCommand implements Callable<Integer> {
    /** Train options the study sets itself, with the study option to use instead. */
    private static final Map<String, String> OWN = Map.of("--out", "--out", "--resume", "(none: the study resumes by itself)",
            "--overwrite", "--retrain", "--seed", "--seeds", "--model", "--model", "--epochs", "--epochs", "--data", "--data",
            "--threads", "--threads", "--stop-after-epoch", "(none)");

    @Spec CommandSpec spec;

    @Option(names = "--model", description = "Model for every run (default ${DEFAULT-VALUE}).") String model = "c3-32-pool";
    @Option(names = "--seeds", description = "Seeds 1..N per variant (default ${DEFAULT-VALUE}).") int seeds = 3;
    @Option(names = "--variants", split = ",", description = "Comma-separated variants (default standard,repr).") List<String> variants = List.of("standard", "repr");
    @Option(names = "--epochs", description = "Epochs per run (default ${DEFAULT-VALUE}).") int epochs = 110;
    @Option(names = "--data", paramLabel = "DIR", description = "Dataset folder (as train --data).") String data;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Study folder (runs go to DIR/VARIANT/seedN).") Path out;
    @Option(names = "--parallel", description = "Runs at the same time (default ${DEFAULT-VALUE}); CPU threads are split between them.") int parallel = 1;
    @Option(names = "--threads", description = "CPU threads in all (default: all cores).") int threads = 0;
    @Option(names = "--retrain", description = "Train again (replacing them) the runs in --out whose recorded options differ from these.") boolean retrain;
    @Option(names = "--summarise-only", description = "Do not train; only rebuild study.md / study.png from the finished runs.") boolean summariseOnly;
    @Parameters(paramLabel = "TRAIN-OPTION", description = "Extra train options after --.") List<String> trainExtra = new ArrayList<>();

    @Override public Integer call() {
        PrintWriter pw = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (seeds < 1) throw new ReaperException("--seeds must be at least 1 (got " + seeds + ")");
        if (parallel < 1) throw new ReaperException("--parallel must be at least 1 (got " + parallel + ")");
        if (threads < 0) throw new ReaperException("--threads must be at least 0 (got " + threads + ")");
        for (String a : trainExtra)
            if (OWN.containsKey(a.split("=", 2)[0]))
                throw new ReaperException(a.split("=", 2)[0] + " after -- is set by the study itself; use the study's " + OWN.get(a.split("=", 2)[0]));
        List<Variant> vs = variants();
        StudyFolder.check(out, summariseOnly);
        Map<Path, String> errors = new HashMap<>();
        if (!summariseOnly) {
            int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            int perRun = Math.max(1, cores / parallel);
            List<StudyRun> planned = StudyPlanner.plan(requestedRuns(vs, perRun, err), retrain);
            try (RunFolder lock = RunFolder.lock(out)) {
                StudyFolder.writeRequest(out, request());
                for (StudyRunner.Outcome o : StudyRunner.run(planned, parallel, perRun, pw))
                    if (o.error() != null) errors.put(o.run().dir(), o.error());
            }
        }
        StudySummary summary = StudySummary.collect(out, vs, seeds, errors);
        List<Path> written = summary.write(out);
        pw.println(summary.markdown());
        pw.println("wrote " + String.join(" and ", written.stream().map(Path::toString).toList()));
        pw.flush();
        if (!errors.isEmpty()) {
            var first = errors.entrySet().iterator().next();
            throw new ReaperException("study: " + errors.size() + " of " + vs.size() * seeds + " runs failed (" + out.relativize(first.getKey())
                    + ": " + first.getValue() + "); the errors are listed in " + out.resolve(StudySummary.MD));
        }
        return 0;
    }

    private List<Variant> variants() {
        List<Variant> vs = variants.stream().map(Variant::parse).toList();
        Set<String> folders = new LinkedHashSet<>();
        for (Variant v : vs)
            if (!folders.add(v.folder())) throw new ReaperException("--variants names '" + v.spec() + "' twice (folder " + v.folder() + ")");
        return vs;
    }

    /** Every variant x seed as a checked train command line; a bad variant fails here, before any training. */
    private List<StudyRun> requestedRuns(List<Variant> vs, int perRun, PrintWriter err) {
        List<StudyRun> runs = new ArrayList<>();
        for (Variant v : vs) {
            for (int s = 1; s <= seeds; s++) {
                TrainCommand.Options o;
                try {
                    o = TrainCommand.parse(trainArgs(v, s, perRun)).options();
                } catch (ReaperException e) {
                    throw new ReaperException("study variant '" + v.spec() + "': " + e.getMessage());
                }
                if (s == 1) for (String w : o.warnings()) err.println("reaper: warning: variant '" + v.spec() + "': " + w);
                o.config().name = v.spec() + " seed" + s;
                runs.add(new StudyRun(v, s, out.resolve(v.folder()).resolve("seed" + s), o.config(), o.repr(), StudyRun.Action.TRAIN));
            }
        }
        err.flush();
        return runs;
    }

    List<String> trainArgs(Variant v, int seed, int perRunThreads) {
        List<String> a = new ArrayList<>(List.of("--model", model, "--epochs", String.valueOf(epochs), "--seed", String.valueOf(seed),
                "--threads", String.valueOf(perRunThreads)));
        if (data != null) a.addAll(List.of("--data", data));
        a.addAll(trainExtra);
        a.addAll(v.trainArgs());
        return a;
    }

    private Map<String, Object> request() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("variants", variants);
        m.put("seeds", seeds);
        m.put("epochs", epochs);
        if (data != null) m.put("data", Path.of(data).toAbsolutePath().normalize().toString());
        m.put("train-options", trainExtra);
        return m;
    }
}
