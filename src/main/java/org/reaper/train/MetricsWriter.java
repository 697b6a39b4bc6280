package org.reaper.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reaper.ReaperException;

/**
 * metrics.jsonl (one JSON object per epoch, appended) and metrics.csv (rewritten each epoch with the union
 * of all columns, since listeners may add columns late). On resume, rows of epochs after the checkpoint
 * (written before a crash hit the checkpoint) are dropped, so each epoch appears exactly once.
 */
public final class MetricsWriter implements TrainListener {
    public static final String JSONL = "metrics.jsonl", CSV = "metrics.csv";

    private final Path dir;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    public MetricsWriter(Path runDir) { this.dir = runDir; }

    /** Every row so far (this session's and, on resume, the earlier ones), as written. */
    public List<Map<String, Object>> rows() { return Collections.unmodifiableList(rows); }

    @Override public void onRunStart(TrainContext c) {
        rows.clear();
        Path jsonl = dir.resolve(JSONL);
        if (c.resumed() && Files.isRegularFile(jsonl)) {
            for (Map<String, Object> row : readRows(jsonl))
                if (row.get("epoch") instanceof Number n && n.intValue() <= c.epoch()) rows.add(row);
        }
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> r : rows) b.append(Json.compact(r)).append('\n');
        Json.writeAtomically(jsonl, b.toString());
        Json.writeAtomically(dir.resolve(CSV), csv(rows));
    }

    @Override public void onEpochEnd(TrainContext c, EpochMetrics m) {
        Map<String, Object> row = m.toRow();
        rows.add(row);
        try {
            Files.writeString(dir.resolve(JSONL), Json.compact(row) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new ReaperException("cannot append to " + dir.resolve(JSONL) + ": " + e.getMessage(), e);
        }
        Json.writeAtomically(dir.resolve(CSV), csv(rows));
    }

    /** Reads a metrics.jsonl file (blank lines skipped; a damaged last line from a crash is ignored). */
    public static List<Map<String, Object>> readRows(Path jsonl) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReaperException("cannot read " + jsonl + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            try {
                out.add(Json.parseMap(line, jsonl + " line " + (i + 1)));
            } catch (ReaperException e) {
                if (i < lines.size() - 1) throw e;
            }
        }
        return out;
    }

    static String csv(List<Map<String, Object>> rows) {
        Set<String> columns = new LinkedHashSet<>();
        for (Map<String, Object> r : rows) columns.addAll(r.keySet());
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", columns.stream().map(MetricsWriter::cell).toList())).append('\n');
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String col : columns) cells.add(cell(r.get(col)));
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    private static String cell(Object v) {
        if (v == null) return "";
        if (v instanceof Double d && !Double.isFinite(d)) return "";
        String s = v instanceof Map || v instanceof List ? Json.compact(v) : String.valueOf(v);
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) return '"' + s.replace("\"", "\"\"") + '"';
        return s;
    }
}
