package org.reaper.repr;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reaper.ReaperException;

/**
 * repr.jsonl in the run folder: one JSON object per line with an {@code event} of "config", "drop" (per layer the
 * dropped indices, counts and a 20-bin score histogram), "reinit" (per layer how many filters got full
 * orthogonality, constraints used, worst |cos|, mean norm) or "epoch" (ortho_sum). Appends, so a resumed run
 * continues the file; a null folder writes nothing.
 */
public final class ReprLog {
    public static final String FILE = "repr.jsonl";
    public static final int BINS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public ReprLog(Path runDir) { this.file = runDir == null ? null : runDir.resolve(FILE); }

    public Path file() { return file; }

    public void write(Map<String, Object> event) {
        if (file == null) return;
        try {
            Files.writeString(file, JSON.writeValueAsString(event) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new ReaperException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The events of an existing repr.jsonl (empty when there is none). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> read(Path file) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (file == null || !Files.isRegularFile(file)) return out;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8))
                if (!line.isBlank()) out.add(JSON.readValue(line, Map.class));
        } catch (IOException e) {
            throw new ReaperException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** {min, max, counts[BINS]} of the scores (NaN ignored). */
    public static Map<String, Object> histogram(float[] scores) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float s : scores) if (!Float.isNaN(s)) { lo = Math.min(lo, s); hi = Math.max(hi, s); }
        int[] counts = new int[BINS];
        if (lo <= hi) {
            double width = (hi - lo) / BINS;
            for (float s : scores) {
                if (Float.isNaN(s)) continue;
                int bin = width == 0 ? 0 : (int) Math.min(BINS - 1, Math.floor((s - lo) / width));
                counts[bin]++;
            }
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("min", lo <= hi ? lo : null);
        h.put("max", lo <= hi ? hi : null);
        h.put("counts", counts);
        return h;
    }
}
