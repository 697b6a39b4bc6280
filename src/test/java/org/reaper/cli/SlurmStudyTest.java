package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.train.Checkpoints;
import org.reaper.train.MetricsWriter;
import org.reaper.train.SummaryWriter;
import org.reaper.train.Json;

/**
 * Studies on a real Slurm (scripts/slurm-local.sh starts one on localhost; .ci/run does): a 2 x 2 study submitted with
 * --slurm completes and `report` gives the table of the same study trained locally; a task requeued mid-epoch
 * (scontrol requeue) and one sent the time-limit warning (SIGUSR1 to the batch shell, as --signal=B:USR1@120 does) resume
 * and end with exactly the numbers of an uninterrupted run. Skipped, with the reason printed, where Slurm is not up.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SlurmStudyTest {
    private static final String DEFAULT_CONF = "/tmp/reaper-slurm/slurm.conf";
    @TempDir Path tmp;

    @BeforeAll static void slurmIsUp() throws Exception {
        String reason = null;
        if (!org.reaper.study.Slurm.onPath("sbatch") || !org.reaper.study.Slurm.onPath("scontrol")) reason = "sbatch/scontrol are not on the PATH";
        else if (System.getenv("SLURM_CONF") == null && !Files.isRegularFile(Path.of("/etc/slurm/slurm.conf")) && !Files.isRegularFile(Path.of(DEFAULT_CONF)))
            reason = "no slurm.conf (start a local cluster with scripts/slurm-local.sh)";
        else if (!run(List.of("sinfo", "-h", "-o", "%t"), 30).matches("(?s).*(idle|mix|alloc).*"))
            reason = "sinfo shows no usable node (start a local cluster with scripts/slurm-local.sh)";
        if (reason != null) System.out.println("SlurmStudyTest skipped: " + reason);
        Assumptions.assumeTrue(reason == null, reason);
    }

    private static void env(ProcessBuilder pb) {
        pb.environment().remove("REAPER_CHILD");
        if (System.getenv("SLURM_CONF") == null && Files.isRegularFile(Path.of(DEFAULT_CONF))) pb.environment().put("SLURM_CONF", DEFAULT_CONF);
    }

    /** Runs a command to its end and returns its output (stdout and stderr). */
    private static String run(List<String> cmd, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        env(pb);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", cmd) + " did not end");
        return out;
    }

    /** `reaper ARGS` as a real process, as a user would start it (the submitting JVM's class path is what the tasks run). */
    private static String reaper(Path dir, String... args) throws Exception {
        List<String> cp = new ArrayList<>();
        for (String s : System.getProperty("java.class.path").split(File.pathSeparator)) cp.add(Path.of(s).toAbsolutePath().toString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", String.join(File.pathSeparator, cp), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        env(pb);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static String jobId(String submitOutput) {
        var m = java.util.regex.Pattern.compile("submitted Slurm job (\\d+)").matcher(submitOutput);
        assertTrue(m.find(), submitOutput);
        return m.group(1);
    }

    private static void await(String what, int seconds, java.util.concurrent.Callable<Boolean> done) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.call()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    private static boolean finished(Path run) {
        Path s = run.resolve(SummaryWriter.FILE);
        return Files.isRegularFile(s) && Boolean.TRUE.equals(Json.readMap(s).get("finished"));
    }

    private static final List<String> SMALL = List.of("--", "--dataset", "synthetic", "--train-limit", "256", "--test-limit", "64", "--batch", "32",
            "--max-steps-per-epoch", "4", "--augment");

    @Test void aTwoByTwoStudyCompletesAndReportsTheTableOfTheSameStudyTrainedLocally() throws Exception {
        Path work = tmp.toAbsolutePath();
        List<String> study = new ArrayList<>(List.of("study", "--variants", "standard,repr:s1=1:s2=1:cycles=1", "--seeds", "2", "--epochs", "2",
                "--model", "c3-8-pool"));
        List<String> slurm = new ArrayList<>(study);
        slurm.addAll(List.of("--out", "on-slurm", "--slurm"));
        slurm.addAll(SMALL);
        String id = jobId(reaper(work, slurm.toArray(String[]::new)));
        assertTrue(Files.readString(work.resolve("on-slurm/slurm/job.json")).contains("\"" + id + "\""));
        List<String> local = new ArrayList<>(study);
        local.addAll(List.of("--out", work.resolve("local").toString(), "--threads", "1"));
        local.addAll(SMALL);
        Cli.Result here = Cli.run(local);
        assertEquals(0, here.code(), here.err());

        await("the four tasks", 180, () -> List.of("standard/seed1", "standard/seed2", "repr-s1-1-s2-1-cycles-1/seed1", "repr-s1-1-s2-1-cycles-1/seed2")
                .stream().allMatch(r -> finished(work.resolve("on-slurm").resolve(r))));
        String status = reaper(work, "study", "on-slurm", "--status");
        assertTrue(status.contains("4 of 4 runs finished"), status);
        reaper(work, "report", "on-slurm");
        assertEquals(withoutWallClock(Files.readString(work.resolve("local/study.md"))), withoutWallClock(Files.readString(work.resolve("on-slurm/study.md"))));
    }

    /** study.md without its last column (minutes per run: wall-clock time, which differs between any two machines). */
    private static String withoutWallClock(String md) {
        String out = md.replaceAll("(?m)\\| [^|]* \\|$", "|").replaceAll("(?m)\\|---\\|$", "|");
        assertTrue(out.contains("| standard | 2 |"), out);
        return out;
    }

    @Test void requeuedAndTimeLimitedTasksResumeExactly() throws Exception {
        Path work = tmp.toAbsolutePath();
        // 3 epochs: the signal, sent once epoch 1 is done, must land inside an epoch even where a warm epoch takes under a second
        List<String> args = new ArrayList<>(List.of("study", "--variants", "standard", "--seeds", "1", "--epochs", "3", "--model", "c3-16-pool"));
        List<String> train = List.of("--", "--dataset", "synthetic", "--train-limit", "4800", "--test-limit", "32", "--batch", "16",
                "--max-steps-per-epoch", "300", "--augment");
        List<String> local = new ArrayList<>(args);
        local.addAll(List.of("--out", work.resolve("whole").toString(), "--threads", "1"));
        local.addAll(train);

        Map<String, String> jobs = new java.util.LinkedHashMap<>();
        for (String name : List.of("requeued", "warned")) {
            List<String> a = new ArrayList<>(args);
            a.addAll(List.of("--out", name, "--slurm"));
            a.addAll(train);
            jobs.put(name, jobId(reaper(work, a.toArray(String[]::new))));
        }
        for (var j : jobs.entrySet()) {
            Path run = work.resolve(j.getKey()).resolve("standard/seed1");
            // Slurm says RUNNING before the script starts: wait for the run's own marker (epoch 1 done, curves drawn)
            await(j.getKey() + " to finish its first epoch", 120, () -> Files.isRegularFile(run.resolve("curves.png")));
            Thread.sleep(300);
            String task = j.getValue() + "_0";
            if (j.getKey().equals("requeued")) run(List.of("scontrol", "requeue", task), 30);
            else run(List.of("scancel", "--signal=USR1", "--batch", task), 30);
        }
        Cli.Result here = Cli.run(local);            // the uninterrupted reference, while the tasks restart
        assertEquals(0, here.code(), here.err());
        for (var j : jobs.entrySet()) {
            Path study = work.resolve(j.getKey()), run = study.resolve("standard/seed1");
            await(j.getKey() + " to finish after its restart", 150, () -> finished(run));
            String log = Files.readString(study.resolve("slurm/task-0.log"));
            assertTrue(log.contains("stopped by SIG"), log);
            assertTrue(log.contains("resuming") && log.contains("step"), "resumed inside the epoch: " + log);
            if (j.getKey().equals("warned")) assertTrue(log.contains("requeueing"), log);
            List<Map<String, Object>> a = MetricsWriter.readRows(work.resolve("whole/standard/seed1").resolve(MetricsWriter.JSONL)),
                    b = MetricsWriter.readRows(run.resolve(MetricsWriter.JSONL));
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++)
                for (String k : List.of("epoch", "train_loss", "train_acc", "test_loss", "test_acc"))
                    assertEquals(a.get(i).get(k), b.get(i).get(k), j.getKey() + " row " + i + " " + k);
            Checkpoints.Loaded ca = Checkpoints.read(work.resolve("whole/standard/seed1").resolve(Checkpoints.FILE)),
                    cb = Checkpoints.read(run.resolve(Checkpoints.FILE));
            for (String k : ca.tensors().keySet())
                assertTrue(java.util.Arrays.equals(ca.tensors().get(k).data(), cb.tensors().get(k).data()), j.getKey() + " " + k);
        }
    }
}
