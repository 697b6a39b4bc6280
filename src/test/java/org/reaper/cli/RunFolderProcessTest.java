package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reaper.cli.Cli.assertOneLineError;
import static org.reaper.cli.Cli.run;
import static org.reaper.cli.Cli.tinyTrain;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.train.Checkpoints;
import org.reaper.train.MetricsWriter;
import org.reaper.train.RunFolder;

/** One writer per run folder, and no process outliving the one the user started, with real processes (issue 10). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RunFolderProcessTest {
    @TempDir Path tmp;
    private final List<Process> started = new ArrayList<>();

    @AfterEach void stopEverything() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** {@code java -cp <test classpath> org.reaper.cli.Main ARGS}; without the Vector API module Main relaunches itself. */
    private Process reaper(boolean vectorModule, Path workDir, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        if (vectorModule) cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        cmd.addAll(List.of("-cp", classPath(), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("process-" + started.size() + ".log").toFile());
        pb.environment().remove("REAPER_CHILD");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String s : System.getProperty("java.class.path").split(File.pathSeparator)) parts.add(Path.of(s).toAbsolutePath().toString());
        return String.join(File.pathSeparator, parts);
    }

    /** A run that keeps training until it is stopped: many one-step epochs of a tiny model. */
    private List<String> endless(Path out) {
        List<String> a = tinyTrain(out.toAbsolutePath(), "--epochs", "100000");
        a.set(a.indexOf("--test-limit") + 1, "16");
        return a;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    private static long lockHolder(Path run) throws Exception {
        return Long.parseLong(Files.readString(run.resolve(RunFolder.LOCK)).trim());
    }

    @Test void killingTheStartedProcessStopsTheRelaunchedTrainer() throws Exception {
        Path run = tmp.resolve("run");
        Process launcher = reaper(false, tmp, endless(run));
        await("the first checkpoint", () -> Files.exists(run.resolve(Checkpoints.FILE)));
        long trainer = lockHolder(run);
        assertTrue(trainer != launcher.pid(), "the launcher relaunched itself (no Vector API module on its command line)");
        Optional<ProcessHandle> child = ProcessHandle.of(trainer);
        assertTrue(child.isPresent() && child.get().isAlive());

        launcher.destroyForcibly();                       // SIGKILL: no shutdown hook runs in the launcher
        assertTrue(launcher.waitFor(10, TimeUnit.SECONDS));
        await("the trainer to stop after its parent died", () -> !child.get().isAlive());
        long rows = MetricsWriter.readRows(run.resolve(MetricsWriter.JSONL)).size();
        Thread.sleep(500);
        assertEquals(rows, MetricsWriter.readRows(run.resolve(MetricsWriter.JSONL)).size(), "nobody writes into the run any more");
    }

    @Test void oneWriterPerRunFolderAndAKilledWritersLockIsTakenOver() throws Exception {
        Path run = tmp.resolve("run");
        Process first = reaper(true, tmp, endless(run));
        await("the first checkpoint", () -> Files.exists(run.resolve(Checkpoints.FILE)));
        assertEquals(first.pid(), lockHolder(run));

        String pid = String.valueOf(first.pid());
        assertOneLineError(run(tinyTrain(run, "--overwrite")), "in use by another Reaper process", "PID " + pid);
        assertOneLineError(run("train", "--resume", run.toString(), "--threads", "1"), "in use", "PID " + pid);
        assertOneLineError(run(tinyTrain(run)), "in use", "PID " + pid);
        assertTrue(first.isAlive(), "the first run still trains");

        first.destroyForcibly();
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));
        int done = Checkpoints.read(run.resolve(Checkpoints.FILE)).epoch();
        Cli.Result resumed = run("train", "--resume", run.toString(), "--epochs", String.valueOf(done + 1), "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(done + 1, Checkpoints.read(run.resolve(Checkpoints.FILE)).epoch());
    }

    @Test void aRunResumesFromAnotherDirectory() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        CifarFiles.write(work.resolve("cifar"));
        List<String> args = tinyTrain(Path.of("run"), "--epochs", "2", "--stop-after-epoch", "1");
        args.set(args.indexOf("--dataset"), "--data");
        args.set(args.indexOf("synthetic"), "cifar");
        Process p = reaper(true, work, args);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("process-0.log")));
        Process resumed = reaper(true, tmp, List.of("train", "--resume", work.resolve("run").toAbsolutePath().toString()));
        assertTrue(resumed.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, resumed.exitValue(), Files.readString(tmp.resolve("process-1.log")));
        assertFalse(Files.exists(tmp.resolve("run")));
        assertEquals(2, Checkpoints.read(work.resolve("run").resolve(Checkpoints.FILE)).epoch());
    }
}
