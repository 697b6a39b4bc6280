package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.train.Checkpoints;
import org.reaper.train.GracefulStop;
import org.reaper.train.MetricsWriter;

/**
 * SIGTERM, SIGINT and SIGUSR1 sent with kill(1) to a real training process in the middle of an epoch: it exits 75 with a
 * checkpoint inside that epoch, and `train --resume` ends with exactly the numbers of an uninterrupted run. Also through
 * the relaunching launcher (the signal goes to the parent, which forwards it), and with a burst of signals during the save.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GracefulStopProcessTest {
    @TempDir Path tmp;
    private final List<Process> started = new ArrayList<>();

    @AfterEach void stopEverything() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    // long enough that a signal sent 300 ms into epoch 2 lands inside it on a quiet machine too (at 300 steps a quiet
    // 2-core machine finished the epoch first, and the run exited 0)
    private static final int STEPS = 600;

    private static final boolean SIGINT_RESETTABLE = envResetsSignals();

    private static boolean envResetsSignals() {
        try {
            return new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
    private static Path whole;

    /** Two epochs of 600 steps (1-3 s each once the JIT warmed up), so that a signal lands inside the second one. */
    private static List<String> args(Path out) {
        return Cli.tinyTrain(out.toAbsolutePath(), "--model", "c3-16-pool", "--train-limit", String.valueOf(16 * STEPS), "--max-steps-per-epoch", String.valueOf(STEPS), "--epochs", "2", "--augment");
    }

    /** The uninterrupted run, once for the three tests. */
    @BeforeAll static void uninterrupted(@TempDir Path dir) {
        whole = dir.resolve("whole");
        Cli.Result expected = Cli.run(args(whole));
        assertEquals(0, expected.code(), expected.err());
    }

    private Process reaper(boolean vectorModule, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        // A job started in the background by a shell without job control (nohup ... &, some CI runners) has SIGINT
        // ignored, and a JVM started so keeps it ignored: give the run the default disposition a terminal user has.
        if (SIGINT_RESETTABLE) cmd.addAll(List.of("env", "--default-signal=INT"));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        if (vectorModule) cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        List<String> cp = new ArrayList<>();
        for (String s : System.getProperty("java.class.path").split(File.pathSeparator)) cp.add(Path.of(s).toAbsolutePath().toString());
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("process-" + started.size() + ".log").toFile());
        pb.environment().remove("REAPER_CHILD");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Sends a signal; a process that already stopped (the run can finish its save before a burst ends) is no failure. */
    private static void kill(Process p, String signal) throws Exception {
        int code = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor();
        if (code != 0 && p.isAlive()) throw new AssertionError("kill -" + signal + " failed on a live process");
    }

    /**
     * A burst from one shell (its builtin kill: microseconds apart), so that the later signals arrive while the first
     * is being handled; one kill process per signal took long enough that the run could finish its save in between.
     */
    private static void burst(Process p, String... signals) throws Exception {
        StringBuilder sh = new StringBuilder();
        for (String s : signals) sh.append("kill -").append(s).append(' ').append(p.pid()).append(" 2>/dev/null; ");
        new ProcessBuilder("sh", "-c", sh.toString()).start().waitFor();
    }

    /** Waits until the first epoch's listeners finished (curves.png is drawn last), then a little more: inside epoch 2 of 2. */
    private static void awaitSecondEpoch(Path run, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.isRegularFile(run.resolve("curves.png"))) {
            if (!p.isAlive() || System.nanoTime() > end)
                throw new AssertionError("the run never finished its first epoch: " + Files.readString(run.getParent().resolve("process-0.log")));
            Thread.sleep(20);
        }
        Thread.sleep(300);
    }

    private void stopAndResume(boolean vectorModule, String... signals) throws Exception {
        Path run = tmp.toAbsolutePath().resolve("run");

        Process p = reaper(vectorModule, args(run));
        awaitSecondEpoch(run, p);
        if (signals.length == 1) kill(p, signals[0]);
        else burst(p, signals);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("process-0.log"));
        assertEquals(GracefulStop.EXIT_CODE, p.exitValue(), log);
        assertTrue(log.contains("stopped by SIG"), log);
        Checkpoints.Loaded ck = Checkpoints.read(run.resolve(Checkpoints.FILE));
        assertEquals(1, ck.epoch(), "stopped inside the second epoch: " + log);
        assertTrue(ck.stepInEpoch() > 0 && ck.stepInEpoch() < STEPS, "stopped inside the epoch (step " + ck.stepInEpoch() + ")");
        assertEquals(STEPS + ck.stepInEpoch(), ck.optimizerSteps());

        Cli.Result resumed = Cli.run("train", "--resume", run.toAbsolutePath().toString());
        assertEquals(0, resumed.code(), resumed.err());
        List<Map<String, Object>> a = MetricsWriter.readRows(whole.resolve(MetricsWriter.JSONL)), b = MetricsWriter.readRows(run.resolve(MetricsWriter.JSONL));
        assertEquals(2, b.size());
        for (int i = 0; i < 2; i++)
            for (String k : List.of("epoch", "lr", "train_loss", "train_acc", "test_loss", "test_acc"))
                assertEquals(a.get(i).get(k), b.get(i).get(k), "row " + i + " column " + k);
        Checkpoints.Loaded ca = Checkpoints.read(whole.resolve(Checkpoints.FILE)), cb = Checkpoints.read(run.resolve(Checkpoints.FILE));
        for (String k : ca.tensors().keySet())
            assertTrue(java.util.Arrays.equals(ca.tensors().get(k).data(), cb.tensors().get(k).data()), k);
        assertEquals(ca.rngOffset(), cb.rngOffset());
    }

    @Test void sigtermInsideAnEpochResumesExactly() throws Exception { stopAndResume(true, "TERM"); }

    @Test void sigintThroughTheRelaunchingLauncherResumesExactly() throws Exception { stopAndResume(false, "INT"); }

    @Test void sigusr1FollowedByABurstOfSignalsDuringTheSaveResumesExactly() throws Exception {
        stopAndResume(true, "USR1", "TERM", "INT", "USR1", "TERM", "TERM", "INT");
        assertTrue(Files.readString(tmp.resolve("process-0.log")).contains("received again"));
    }
}
