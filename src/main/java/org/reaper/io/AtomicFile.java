package org.reaper.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.reaper.ReaperException;

/**
 * Replaces a file atomically: the content goes to a hidden temp file beside it (".NAME.RANDOM.tmp"), then a rename,
 * so a reader or a crash never sees half a file. The temp file is created like any new file (mode 0666 less the
 * umask), not with {@code Files.createTempFile}'s 0600, so results stay readable as the user's umask allows.
 */
public final class AtomicFile {
    /** Writes the content into an open channel. */
    public interface Body { void writeTo(FileChannel ch) throws IOException; }

    private AtomicFile() {}

    public static void write(Path file, String text) { write(file, text.getBytes(StandardCharsets.UTF_8)); }

    public static void write(Path file, byte[] bytes) {
        write(file, ch -> { ByteBuffer b = ByteBuffer.wrap(bytes); while (b.hasRemaining()) ch.write(b); }, false);
    }

    /** With {@code durable}, the data and the rename are forced to disk before returning (checkpoints). */
    public static void write(Path file, Body body, boolean durable) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.writeTo(ch);
                if (durable) ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            if (durable) syncDirectory(dir);
        } catch (IOException e) {
            throw new ReaperException("cannot write " + file + ": " + IoErrors.reason(e), e);
        } finally {
            if (tmp != null) {
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
            }
        }
    }

    /** True for the temp files this class leaves when a process dies mid-write. */
    public static boolean isLeftover(String fileName) { return fileName.startsWith(".") && fileName.endsWith(".tmp"); }

    /** Makes the rename durable (POSIX); silently skipped where folders cannot be opened. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform
        }
    }
}
