package org.reaper.data.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.reaper.ReaperException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** cache.json: what was decoded from where, at which size, and whether it is finished. */
public record CacheMeta(String format, int version, String source, String layout, int size, List<String> classes,
                        Map<String, Integer> images, boolean complete) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static boolean isCache(Path dir) { return Files.isRegularFile(dir.resolve(CacheFormat.META)); }

    public static CacheMeta read(Path dir) {
        Path f = dir.resolve(CacheFormat.META);
        try {
            CacheMeta m = JSON.readValue(f.toFile(), CacheMeta.class);
            if (!CacheFormat.FORMAT.equals(m.format()) || m.version() != CacheFormat.VERSION)
                throw new ReaperException(f + " is not a version-" + CacheFormat.VERSION + " Reaper decoded cache");
            return m;
        } catch (IOException e) {
            throw new ReaperException("cannot read " + f + ": " + e.getMessage());
        }
    }

    void write(Path dir) {
        try {
            Path tmp = dir.resolve(CacheFormat.META + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, dir.resolve(CacheFormat.META), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ReaperException("cannot write " + dir.resolve(CacheFormat.META) + ": " + e.getMessage());
        }
    }
}
