package org.reaper.data.cache;

import org.reaper.ReaperException;
import org.reaper.data.ImageFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code reaper prepare}: decode every split of an image dataset once into a cache folder (resumable). */
public final class DecodedCache {
    private DecodedCache() {}

    /** What one split took. */
    public record SplitReport(String split, int written, int bad, int resumedFrom, double seconds) {}

    /**
     * Writes (or completes) the cache in {@code out}. An existing cache is continued only if it was started from
     * the same source, layout, size and classes; anything else in {@code out} is refused.
     */
    public static List<SplitReport> prepare(Path source, String layout, List<String> classes, Map<String, ImageFiles> splits,
                                            int size, Path out, int threads, Consumer<String> progress) {
        if (size < 8) throw new ReaperException("--size must be at least 8, got " + size);
        Map<String, Integer> counts = new LinkedHashMap<>();
        splits.forEach((k, v) -> counts.put(k, v.size()));
        CacheMeta fresh = new CacheMeta(CacheFormat.FORMAT, CacheFormat.VERSION, source.toString(), layout, size, classes, counts, false);
        checkTarget(out, fresh);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new ReaperException("cannot create " + out + ": " + e.getMessage());
        }
        if (!CacheMeta.isCache(out)) fresh.write(out);
        List<SplitReport> reports = new java.util.ArrayList<>();
        for (var e : splits.entrySet()) {
            CacheWriter.Result r = CacheWriter.write(out, e.getKey(), e.getValue(), size, threads, progress);
            reports.add(new SplitReport(e.getKey(), r.written(), r.bad(), r.resumedFrom(), r.seconds()));
        }
        new CacheMeta(fresh.format(), fresh.version(), fresh.source(), layout, size, classes, counts, true).write(out);
        return reports;
    }

    private static void checkTarget(Path out, CacheMeta fresh) {
        if (!Files.exists(out)) return;
        if (!Files.isDirectory(out)) throw new ReaperException("--out " + out + " is a file, not a folder");
        if (CacheMeta.isCache(out)) {
            CacheMeta old = CacheMeta.read(out);
            if (!old.source().equals(fresh.source()) || old.size() != fresh.size() || !old.classes().equals(fresh.classes())
                    || !old.images().equals(fresh.images()))
                throw new ReaperException("--out " + out + " holds a cache of " + old.source() + " at size " + old.size()
                        + " (" + old.images() + " images): use another folder, or the same --data and --size to resume it");
            return;
        }
        try (var s = Files.list(out)) {
            if (s.findAny().isPresent()) throw new ReaperException("--out " + out + " is a folder of other files: use a new or empty folder");
        } catch (IOException e) {
            throw new ReaperException("cannot list " + out + ": " + e.getMessage());
        }
    }
}
