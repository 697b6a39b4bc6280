package org.reaper.study;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.backend.Backends;
import org.reaper.repr.ReprTraining;
import org.reaper.train.Checkpoints;
import org.reaper.train.GracefulStop;
import org.reaper.train.TrainRun;

/** Trains the planned runs of a study, {@code parallel} at a time, and keeps each run's error instead of stopping. */
public final class StudyRunner {
    /** How one run ended: error is null when it finished (or was already done). */
    public record Outcome(StudyRun run, String error) {}

    private StudyRunner() {}

    public static List<Outcome> run(List<StudyRun> runs, int parallel, int threadsPerRun, PrintWriter out) {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Outcome>> jobs = new ArrayList<>();
            for (StudyRun r : runs) {
                if (r.action() == StudyRun.Action.DONE) {
                    out.println("done already: " + r.dir());
                    jobs.add(java.util.concurrent.CompletableFuture.completedFuture(new Outcome(r, null)));
                    continue;
                }
                jobs.add(pool.submit(() -> runOne(r, threadsPerRun, out)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> j : jobs) outcomes.add(j.get());
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReaperException("the study was interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome runOne(StudyRun r, int threads, PrintWriter out) {
        if (GracefulStop.requested()) return new Outcome(r, "not started: the study was stopped by " + GracefulStop.signal());
        out.println(verb(r.action()) + " " + r.label() + " -> " + r.dir());
        out.flush();
        try (Backend backend = Backends.create(r.config().device, threads)) {
            TrainRun run = ReprTraining.trainRun(r.config(), r.repr(), r.dir()).output(out, false);
            if (r.action() == StudyRun.Action.RESUME) run.resumeFrom(Checkpoints.read(r.dir().resolve(Checkpoints.FILE)));
            else run.overwrite(r.action() == StudyRun.Action.RETRAIN);
            run.run(backend);
            if (run.stopped() != null) return new Outcome(r, "stopped by " + run.stopped().signal() + " inside epoch " + (run.stopped().epoch() + 1)
                    + " (checkpoint written; the study resumes it)");
            return new Outcome(r, null);
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
            out.println("failed: " + r.label() + ": " + msg);
            out.flush();
            return new Outcome(r, e instanceof ReaperException || e instanceof IllegalArgumentException ? msg
                    : "unexpected error: " + e.getClass().getSimpleName() + ": " + msg);
        }
    }

    private static String verb(StudyRun.Action a) {
        return switch (a) {
            case TRAIN -> "train";
            case RESUME -> "resume";
            case RETRAIN -> "retrain";
            case DONE -> "done";
        };
    }
}
