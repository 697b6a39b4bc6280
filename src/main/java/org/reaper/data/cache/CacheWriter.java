package org.reaper.data.cache;

import org.reaper.ReaperException;
import org.reaper.data.CropBox;
import org.reaper.data.ImageFiles;
import org.reaper.data.RawImage;
import org.reaper.data.Resample;
import org.reaper.data.ResizedCrop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Writes one split of a decoded cache: decodes each image (on {@code threads} threads, written in order),
 * shrinks it so the shorter side is at most {@code size} (never enlarged), appends it. Resumable: the index
 * and bad-image log say how far an interrupted run got; the pixels past the last indexed image are cut off.
 */
final class CacheWriter {
    private static final int CHUNK = 64;

    /** Images written, images skipped as bad, and decode time. */
    record Result(int written, int bad, int resumedFrom, double seconds) {}

    private CacheWriter() {}

    static Result write(Path dir, String split, ImageFiles files, int size, int threads, Consumer<String> progress) {
        Path idx = CacheFormat.index(dir, split), px = CacheFormat.pixels(dir, split), bad = CacheFormat.bad(dir, split);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "reaper-prepare");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime(), lastReport = t0;
        try (FileChannel ic = FileChannel.open(idx, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel pc = FileChannel.open(px, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Resume r = resume(ic, pc, bad);
            int next = r.next, written = r.written, badCount = r.bad, from = r.next;
            long end = pc.size();
            while (next < files.size()) {
                int lo = next, hi = Math.min(files.size(), next + CHUNK * Math.max(1, threads));
                List<Future<Object>> jobs = new ArrayList<>();
                for (int i = lo; i < hi; i++) {
                    int k = i;
                    jobs.add(pool.submit(() -> {
                        try {
                            return shrink(files.read(k), size);
                        } catch (ReaperException e) {
                            return e.getMessage();
                        }
                    }));
                }
                ByteBuffer rec = ByteBuffer.allocate(CacheFormat.RECORD).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = lo; i < hi; i++) {
                    Object o = jobs.get(i - lo).get();
                    if (o instanceof RawImage img) {
                        pc.write(ByteBuffer.wrap(img.pixels()), end);
                        rec.clear();
                        rec.putLong(end).putInt(img.height()).putInt(img.width()).putInt(files.label(i)).putInt(i).flip();
                        ic.write(rec, (long) written * CacheFormat.RECORD);   // after the pixels: an index never points past them
                        end += img.pixels().length;
                        written++;
                    } else {
                        Files.writeString(bad, i + "\t" + o + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        badCount++;
                    }
                }
                next = hi;
                long now = System.nanoTime();
                if (now - lastReport > 2_000_000_000L || next == files.size()) {
                    lastReport = now;
                    double s = (now - t0) / 1e9;
                    progress.accept(String.format(java.util.Locale.ROOT, "%s: %,d / %,d images, %,d bad, %.0f images/s",
                            split, next, files.size(), badCount, (next - from) / Math.max(s, 1e-9)));
                }
            }
            return new Result(written, badCount, from, (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new ReaperException("cannot write the decoded cache in " + dir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReaperException("interrupted while preparing the cache (run prepare again to resume)");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The shorter side shrunk to {@code size} if larger (torchvision's Resize(size), without enlarging). */
    static RawImage shrink(RawImage img, int size) {
        if (Math.min(img.height(), img.width()) <= size) return img;
        int[] hw = ResizedCrop.resizedShape(img.height(), img.width(), size);
        return Resample.resize(img, CropBox.whole(img), hw[0], hw[1]);
    }

    private record Resume(int next, int written, int bad) {}

    /** Where an earlier, interrupted run stopped: after the last indexed or logged image. */
    private static Resume resume(FileChannel ic, FileChannel pc, Path bad) throws IOException {
        int written = (int) (ic.size() / CacheFormat.RECORD);
        ic.truncate((long) written * CacheFormat.RECORD);   // a half-written record
        int next = 0;
        long end = 0;
        if (written > 0) {
            ByteBuffer last = ByteBuffer.allocate(CacheFormat.RECORD).order(ByteOrder.LITTLE_ENDIAN);
            ic.read(last, (long) (written - 1) * CacheFormat.RECORD);
            end = last.getLong(0) + 3L * last.getInt(8) * last.getInt(12);
            next = last.getInt(20) + 1;
        }
        pc.truncate(end);   // pixels of an image whose record was not written
        int badCount = 0;
        if (Files.isRegularFile(bad)) {
            for (String line : Files.readAllLines(bad, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab <= 0) continue;
                badCount++;
                next = Math.max(next, Integer.parseInt(line.substring(0, tab)) + 1);
            }
        }
        return new Resume(next, written, badCount);
    }
}
