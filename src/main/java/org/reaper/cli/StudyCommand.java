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
import org.reaper.study.Slurm;
import org.reaper.study.SlurmResources;
import org.reaper.study.SlurmScript;
import org.reaper.study.SlurmSubmission;
import org.reaper.study.StudyFolder;
import org.reaper.study.StudyPlanner;
import org.reaper.study.StudyRun;
import org.reaper.study.StudyRunner;
import org.reaper.study.StudyStatus;
import org.reaper.study.StudySummary;
import org.reaper.study.Variant;
import org.reaper.train.GracefulStop;
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
                "Finished runs are reused and interrupted ones resumed only when their recorded options equal the requested ones.",
                "With --slurm the grid becomes a Slurm array job (STUDY/slurm/array.sbatch); 'study STUDY --status' shows each run's state."})
public final class StudyCommand implements Callable<Integer> {
    /** Train options the study sets itself, with the study option to use instead. */
    private static final Map<String, String> OWN = Map.of("--out", "--out", "--resume", "(none: the study resumes by itself)",
            "--overwrite", "--retrain", "--seed", "--seeds", "--model", "--model", "--epochs", "--epochs", "--data", "--data",
            "--threads", "--threads", "--stop-after-epoch", "(none)");
    private static final List<String> SLURM_ONLY = List.of("dry-run", "partition", "time", "cpus-per-task", "mem", "gpus-per-task");

    @Spec CommandSpec spec;

    @Option(names = "--model", description = "Model for every run (default ${DEFAULT-VALUE}).") String model = "c3-32-pool";
    @Option(names = "--seeds", description = "Seeds 1..N per variant (default ${DEFAULT-VALUE}).") int seeds = 3;
    @Option(names = "--variants", split = ",", description = "Comma-separated variants (default standard,repr).") List<String> variants = List.of("standard", "repr");
    @Option(names = "--epochs", description = "Epochs per run (default ${DEFAULT-VALUE}).") int epochs = 110;
    @Option(names = "--data", paramLabel = "DIR", description = "Dataset folder (as train --data).") String data;
    @Option(names = "--out", paramLabel = "DIR", description = "Study folder (runs go to DIR/VARIANT/seedN).") Path out;
    @Option(names = "--parallel", description = "Runs at the same time (default ${DEFAULT-VALUE}); CPU threads are split between them.") int parallel = 1;
    @Option(names = "--threads", description = "CPU threads in all (default: all cores).") int threads = 0;
    @Option(names = "--retrain", description = "Train again (replacing them) the runs in --out whose recorded options differ from these.") boolean retrain;
    @Option(names = "--summarise-only", description = "Do not train; only rebuild study.md / study.png from the finished runs.") boolean summariseOnly;
    @Option(names = "--status", description = "Show the state of each run of the study in --out (or STUDY: 'study STUDY --status'): Slurm's and its folder's.")
    boolean status;
    @Option(names = "--slurm", description = "Submit the grid to Slurm as an array job (one task per variant x seed) instead of training here.") boolean slurm;
    @Option(names = "--dry-run", description = "With --slurm: print the array script; write and submit nothing.") boolean dryRun;
    @Option(names = "--partition", description = "With --slurm: the partition.") String partition;
    @Option(names = "--time", paramLabel = "LIMIT", description = "With --slurm: time limit per task (e.g. 4:00:00); near it a task checkpoints and requeues itself.") String time;
    @Option(names = "--cpus-per-task", paramLabel = "N", description = "With --slurm: CPUs per task, and the training threads of its run (default 1).") int cpusPerTask = 1;
    @Option(names = "--mem", description = "With --slurm: memory per task (e.g. 8G).") String mem;
    @Option(names = "--gpus-per-task", paramLabel = "N", description = "With --slurm: GPUs per task; the runs then train with --device cuda.") int gpusPerTask = 0;
    @Option(names = "--task", hidden = true, description = "Train only run I of the grid (what each Slurm array task runs).") Integer task;
    @Parameters(paramLabel = "TRAIN-OPTION", description = "Extra train options after --.") List<String> trainExtra = new ArrayList<>();

    @Override public Integer call() {
        PrintWriter pw = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (status) return status(pw);
        if (out == null) throw new ReaperException("--out is required: the study's folder");
        if (seeds < 1) throw new ReaperException("--seeds must be at least 1 (got " + seeds + ")");
        if (parallel < 1) throw new ReaperException("--parallel must be at least 1 (got " + parallel + ")");
        if (threads < 0) throw new ReaperException("--threads must be at least 0 (got " + threads + ")");
        for (String a : trainExtra)
            if (OWN.containsKey(a.split("=", 2)[0]))
                throw new ReaperException(a.split("=", 2)[0] + " after -- is set by the study itself; use the study's " + OWN.get(a.split("=", 2)[0]));
        List<Variant> vs = variants();
        Set<String> given = given();
        if (!slurm)
            for (String o : SLURM_ONLY) if (given.contains(o)) throw new ReaperException("--" + o + " applies only with --slurm");
        if (task != null) return task(vs, pw);
        if (slurm) return submit(vs, given, pw, err);
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
            if (GracefulStop.requested() && !errors.isEmpty()) {   // a signal after the last step stopped nothing
                err.println("reaper: study stopped by " + GracefulStop.signal() + " (each run wrote a checkpoint); run the same command again to continue");
                return GracefulStop.EXIT_CODE;
            }
        }
        if (summariseOnly && !given.contains("variants") && !given.contains("seeds") && java.nio.file.Files.exists(out.resolve(StudyFolder.JSON))) {
            // the study's own grid, as study.json recorded it (not the defaults: they would summarise other variants)
            StudyFolder.Request r = StudyFolder.readRequest(out);
            vs = r.variants().stream().map(Variant::parse).toList();
            seeds = r.seeds();
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

    /** Slurm array task I: run I of the grid (variants outer, seeds inner), resumed if it has a checkpoint; done runs exit at once. */
    private int task(List<Variant> vs, PrintWriter pw) {
        if (task < 0 || task >= vs.size() * seeds)
            throw new ReaperException("--task " + task + " is outside the study's " + vs.size() * seeds + " runs (0.." + (vs.size() * seeds - 1) + ")");
        StudyFolder.check(out, true);
        int perRun = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        StudyRun r = StudyPlanner.plan(List.of(requestedRuns(vs, perRun, spec.commandLine().getErr()).get(task)), retrain).get(0);
        StudyRunner.Outcome o = StudyRunner.run(List.of(r), 1, perRun, pw).get(0);
        // a signal that arrives after the last step leaves a finished run: nothing to requeue
        if (GracefulStop.requested() && o.error() != null) {
            spec.commandLine().getErr().println("reaper: " + r.label() + ": " + o.error());
            return GracefulStop.EXIT_CODE;
        }
        if (GracefulStop.requested()) spec.commandLine().getErr().println("reaper: " + r.label() + ": finished before " + GracefulStop.signal() + " took effect");
        if (o.error() != null) throw new ReaperException(r.label() + ": " + o.error());
        return 0;
    }

    /** --slurm: checks every run as a local study would, then writes and submits the array script (or prints it). */
    private int submit(List<Variant> vs, Set<String> given, PrintWriter pw, PrintWriter err) {
        for (String o : List.of("parallel", "summarise-only", "threads"))
            if (given.contains(o)) throw new ReaperException("--" + o + " does not apply with --slurm (each task is one run with --cpus-per-task threads)");
        SlurmResources res = new SlurmResources(partition, time, cpusPerTask, mem, gpusPerTask);
        if (gpusPerTask > 0 && trainExtra.contains("--device"))
            throw new ReaperException("--gpus-per-task trains with --device cuda; leave --device out of the train options");
        StudyFolder.check(out, false);
        boolean fresh = !java.nio.file.Files.exists(out);
        if (gpusPerTask > 0) trainExtra.addAll(List.of("--device", "cuda"));
        StudyPlanner.plan(requestedRuns(vs, cpusPerTask, err), retrain);
        String script = SlurmScript.text(out, vs.size() * seeds, res, taskCommand());
        if (dryRun) {
            pw.print(script);
            return 0;
        }
        if (!Slurm.onPath("sbatch"))
            throw new ReaperException("sbatch is not on the PATH: submit from a Slurm login node, print the script with --dry-run, or drop --slurm to train here");
        SlurmSubmission.checkNoActiveJob(out);
        String id;
        try (RunFolder lock = RunFolder.lock(out)) {
            StudyFolder.writeRequest(out, request());
            id = SlurmSubmission.submit(out, script, vs.size() * seeds);
        } catch (ReaperException e) {
            if (fresh) StudyFolder.removeNew(out);
            throw e;
        }
        pw.println("submitted Slurm job " + id + ": " + vs.size() * seeds + " tasks (" + vs.size() + " variants x " + seeds + " seeds), script "
                + out.resolve(SlurmScript.FOLDER).resolve(SlurmScript.FILE));
        pw.println("follow it with: reaper study " + out + " --status; when all runs finished: reaper report " + out);
        return 0;
    }

    /** The command line of every array task (the script adds --task), with absolute paths: a task may start in another folder. */
    private List<String> taskCommand() {
        List<String> c = new ArrayList<>(SelfCommand.javaCommand());
        c.addAll(List.of("study", "--out", out.toAbsolutePath().normalize().toString(), "--model", model, "--seeds", String.valueOf(seeds),
                "--variants", String.join(",", variants), "--epochs", String.valueOf(epochs), "--threads", String.valueOf(cpusPerTask)));
        if (data != null) c.addAll(List.of("--data", Path.of(data).toAbsolutePath().normalize().toString()));
        if (retrain) c.add("--retrain");
        c.add(SlurmScript.TASK);
        if (!trainExtra.isEmpty()) {
            c.add("--");
            c.addAll(trainExtra);
        }
        return c;
    }

    /** 'study STUDY --status' or 'study --out STUDY --status': one line per run, from Slurm and the run folders. */
    private int status(PrintWriter pw) {
        Path dir = out;
        if (dir == null && trainExtra.size() == 1) dir = Path.of(trainExtra.get(0));
        if (dir == null) throw new ReaperException("--status needs the study's folder: reaper study STUDY --status");
        StudyFolder.Request r = StudyFolder.readRequest(dir);
        String job = SlurmSubmission.jobId(dir);
        pw.println("study " + dir + (job == null ? " (trained locally)" : " (Slurm job " + job + ")"));
        pw.println(StudyStatus.table(StudyStatus.rows(dir, r.variants().stream().map(Variant::parse).toList(), r.seeds(), job)));
        return 0;
    }

    private Set<String> given() {
        Set<String> g = new java.util.HashSet<>();
        var pr = spec.commandLine().getParseResult();
        if (pr != null) for (var o : pr.matchedOptions()) g.add(o.longestName().replaceFirst("^-+", ""));
        return g;
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
