package org.reaper.study;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.train.Checkpoints;
import org.reaper.train.Json;
import org.reaper.train.RunFolder;
import org.reaper.train.SummaryWriter;

/** {@code study STUDY --status}: per task, what Slurm says (scontrol) and what its run folder holds. Reads only. */
public final class StudyStatus {
    /** One task: its run, Slurm's view (null without a job) and the run folder's. */
    public record Row(int task, String run, String slurm, String folder, boolean finished) {}

    private StudyStatus() {}

    public static List<Row> rows(Path study, List<Variant> variants, int seeds, String jobId) {
        Map<Integer, Slurm.TaskState> states = jobId == null ? Map.of() : Slurm.tasks(jobId);
        List<Row> rows = new ArrayList<>();
        int task = 0;
        for (Variant v : variants)
            for (int s = 1; s <= seeds; s++, task++) {
                Path dir = study.resolve(v.folder()).resolve("seed" + s);
                String slurm = null;
                if (jobId != null) {
                    Slurm.TaskState st = states.get(task);
                    slurm = st == null ? "unknown to Slurm" : st.state() + (st.restarts() > 0 ? " (restarts " + st.restarts() + ")" : "")
                            + ("None".equals(st.reason()) || st.reason().isEmpty() ? "" : " " + st.reason())
                            + (st.state().equals("FAILED") ? " exit " + st.exitCode() : "");
                }
                rows.add(folder(task, v.folder() + "/seed" + s, dir, slurm));
            }
        return rows;
    }

    private static Row folder(int task, String run, Path dir, String slurm) {
        Path summary = dir.resolve(SummaryWriter.FILE), ck = dir.resolve(Checkpoints.FILE);
        try {
            if (Files.isRegularFile(summary)) {
                Map<String, Object> m = Json.readMap(summary);
                if (Boolean.TRUE.equals(m.get("finished")))
                    return new Row(task, run, slurm, String.format(Locale.ROOT, "finished: final test acc %.2f%%", 100 * num(m.get("final_test_acc"))), true);
            }
            if (Files.isRegularFile(ck)) {
                Checkpoints.Loaded c = Checkpoints.read(ck);
                int epochs = Checkpoints.config(c) == null ? -1 : Checkpoints.config(c).epochs;
                String at = c.stepInEpoch() > 0 ? "epoch " + (c.epoch() + 1) + " step " + (c.stepInEpoch() + 1) : "epoch " + (c.epoch() + 1);
                return new Row(task, run, slurm, "checkpoint: " + c.epoch() + "/" + epochs + " epochs done, resumes at " + at, false);
            }
            return new Row(task, run, slurm, RunFolder.holdsRun(dir) ? "started, no checkpoint yet" : "not started", false);
        } catch (ReaperException e) {
            return new Row(task, run, slurm, "unreadable: " + e.getMessage(), false);
        }
    }

    public static String table(List<Row> rows) {
        boolean slurm = rows.stream().anyMatch(r -> r.slurm() != null);
        int w = Math.max(3, rows.stream().mapToInt(r -> r.run().length()).max().orElse(3));
        int ws = Math.max(5, rows.stream().mapToInt(r -> r.slurm() == null ? 0 : r.slurm().length()).max().orElse(5));
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-4s  %-" + w + "s  " + (slurm ? "%-" + ws + "s  " : "%s") + "%s%n", "task", "run", slurm ? "slurm" : "", "run folder"));
        for (Row r : rows)
            b.append(String.format(Locale.ROOT, "%-4d  %-" + w + "s  " + (slurm ? "%-" + ws + "s  " : "%s") + "%s%n", r.task(), r.run(),
                    slurm ? (r.slurm() == null ? "-" : r.slurm()) : "", r.folder()));
        long done = rows.stream().filter(Row::finished).count();
        b.append(done).append(" of ").append(rows.size()).append(" runs finished");
        return b.toString();
    }

    private static double num(Object o) { return o instanceof Number n ? n.doubleValue() : Double.NaN; }
}
