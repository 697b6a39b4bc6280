package org.reaper.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.reaper.ReaperException;
import org.reaper.io.AtomicFile;
import org.reaper.io.IoErrors;

/**
 * Ownership of a run folder: one writer at a time, and never someone else's files. {@link #check} refuses,
 * without touching anything, a folder a run may not use (a file, a folder of the user's own files, a finished run
 * without --overwrite or --resume, a folder another process is training in); {@link #claim} then creates the
 * folder, takes an OS lock on {@code .reaper.lock} (released by the OS when the holder dies, so a killed run's
 * folder is taken over) and, for a new run, removes an earlier run's files, leaving any other file alone.
 */
public final class RunFolder implements AutoCloseable {
    public static final String LOCK = ".reaper.lock";
    /** Every file Reaper writes into a run folder (the repr package writes the last three, explain the page). */
    public static final List<String> RUN_FILES = List.of(TrainRun.CONFIG, MetricsWriter.JSONL, MetricsWriter.CSV, SummaryWriter.FILE,
            Checkpoints.FILE, CurvesPlotter.FILE, "repr.jsonl", "drops.png", "ortho_sum.png", "explain.html");
    /** The per-cycle weight snapshots of a RePr run (repr.CycleSnapshots: repr-cycleK-drop / -reinit). */
    public static final Pattern SNAPSHOT = Pattern.compile("repr-cycle\\d+-(drop|reinit)\\.safetensors");

    /** What the run wants to do with the folder. */
    public enum Intent { NEW, OVERWRITE, RESUME }

    // Folders locked by this JVM: closing any channel on a locked file drops the process's POSIX lock, so a folder
    // held here is never probed through the file system again.
    private static final Set<Path> HELD = new HashSet<>();

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private RunFolder(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** Throws a one-line {@link ReaperException} when a run with this intent may not use {@code dir}; changes nothing. */
    public static synchronized void check(Path dir, Intent intent) {
        if (dir.toString().isEmpty()) throw new ReaperException("the run folder has an empty name; pass --out DIR");
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new ReaperException(dir + " is a file, not a folder; choose another --out");
        if (!Files.isDirectory(dir)) {
            if (intent == Intent.RESUME) throw new ReaperException("--resume " + dir + ": the folder does not exist");
            return;
        }
        probeLock(dir);
        boolean run = holdsRun(dir);
        if (intent == Intent.RESUME) {
            if (!run) throw new ReaperException(dir + " is not a Reaper run folder (no config.json written by 'reaper train')");
            return;
        }
        if (!run) {
            List<String> others = entries(dir).stream().filter(n -> !n.equals(LOCK) && !AtomicFile.isLeftover(n)).sorted().toList();
            if (!others.isEmpty())
                throw new ReaperException(dir + " is not empty and holds no Reaper run (it has " + String.join(", ", others.subList(0, Math.min(3, others.size())))
                        + (others.size() > 3 ? ", ..." : "") + "); choose an empty or new folder for --out");
            return;
        }
        if (intent == Intent.NEW && hasProgress(dir))
            throw new ReaperException(dir + " already holds a run; continue it with --resume " + dir + ", or pass --overwrite, or choose another --out");
    }

    /** Checks again under the lock, creates the folder, locks it and, unless resuming, clears an earlier run's files. */
    public static synchronized RunFolder claim(Path dir, Intent intent) {
        check(dir, intent);
        RunFolder f = lock(dir);
        if (intent != Intent.RESUME) {
            try {
                clearRunFiles(dir);
            } catch (IOException e) {
                f.close();
                throw new ReaperException("cannot clear the earlier run in " + dir + ": " + IoErrors.reason(e), e);
            }
        }
        return f;
    }

    /** Creates {@code dir} and takes its lock (a study folder uses it too); fails naming the PID that holds it. */
    public static synchronized RunFolder lock(Path dir) {
        probeLock(dir);
        Path lockFile = dir.resolve(LOCK);
        Path key = lockFile.toAbsolutePath().normalize();
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) throw inUse(dir, readPid(lockFile));
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            HELD.add(key);
            RunFolder f = new RunFolder(key, ch, lock);
            ch = null;
            return f;
        } catch (IOException e) {
            throw new ReaperException("cannot use the run folder " + dir + ": " + IoErrors.reason(e), e);
        } finally {
            if (ch != null) try { ch.close(); } catch (IOException ignored) { /* nothing held */ }
        }
    }

    /** True when {@code dir} holds a config.json that Reaper wrote. */
    public static boolean holdsRun(Path dir) {
        Path cfg = dir.resolve(TrainRun.CONFIG);
        if (!Files.isRegularFile(cfg)) return false;
        try {
            return Json.readMap(cfg).get("environment") instanceof Map<?, ?> env && env.containsKey("reaper");
        } catch (ReaperException e) {
            return false;
        }
    }

    @Override public synchronized void close() {
        synchronized (RunFolder.class) {
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // the OS drops the lock with the process anyway
            } finally {
                HELD.remove(lockFile);
            }
        }
    }

    private static void clearRunFiles(Path dir) throws IOException {
        for (String f : RUN_FILES) Files.deleteIfExists(dir.resolve(f));
        for (String n : entries(dir)) if (AtomicFile.isLeftover(n) || SNAPSHOT.matcher(n).matches()) Files.deleteIfExists(dir.resolve(n));
    }

    private static boolean hasProgress(Path dir) {
        try {
            Path metrics = dir.resolve(MetricsWriter.JSONL);
            return Files.exists(dir.resolve(Checkpoints.FILE)) || Files.exists(dir.resolve(SummaryWriter.FILE))
                    || (Files.isRegularFile(metrics) && Files.size(metrics) > 0);
        } catch (IOException e) {
            return true;
        }
    }

    /** Fails when another process (or this one) holds the folder's lock; creates nothing. */
    private static void probeLock(Path dir) {
        Path lockFile = dir.resolve(LOCK);
        if (HELD.contains(lockFile.toAbsolutePath().normalize()))
            throw new ReaperException(dir + " is in use by this process (PID " + ProcessHandle.current().pid() + "); choose another --out");
        if (!Files.isRegularFile(lockFile)) return;
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) throw inUse(dir, readPid(lockFile));
            l.release();
        } catch (IOException e) {
            // unreadable lock file: claim() reports the folder's real problem
        }
    }

    private static ReaperException inUse(Path dir, String pid) {
        return new ReaperException(dir + " is in use by another Reaper process (PID " + pid + "); wait for it to finish or stop it, "
                + "or choose another --out");
    }

    private static String readPid(Path lockFile) {
        try {
            String s = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? "unknown" : s;
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static List<String> entries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ReaperException("cannot read the folder " + dir + ": " + IoErrors.reason(e), e);
        }
    }
}
