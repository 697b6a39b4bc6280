package org.reaper.report.explain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.repr.CycleSnapshots;
import org.reaper.repr.RecordedOptions;
import org.reaper.repr.ReprLog;
import org.reaper.repr.ReprOptions;
import org.reaper.train.Checkpoints;
import org.reaper.train.Json;
import org.reaper.train.MetricsWriter;
import org.reaper.train.TrainRun;

/**
 * What a run folder offers a lesson: config.json, metrics.jsonl, repr.jsonl, the cycle snapshots, the final
 * checkpoint and the plots. Checks up front, so a missing or unreadable folder is one clear line.
 */
public record RunMaterial(Path dir, Map<String, Object> config, ReprOptions repr, List<Map<String, Object>> metrics,
                          List<Map<String, Object>> reprLog) {

    public static RunMaterial read(Path dir) {
        if (!Files.exists(dir)) throw new ReaperException("--run " + dir + " does not exist; pass a folder that 'reaper train' or 'reaper demo' wrote");
        if (!Files.isDirectory(dir)) throw new ReaperException("--run " + dir + " is a file, not a run folder");
        if (!Files.isReadable(dir)) throw new ReaperException("--run " + dir + " cannot be read (permission denied)");
        if (!Files.isRegularFile(dir.resolve(TrainRun.CONFIG)))
            throw new ReaperException(dir + " is not a run folder (no " + TrainRun.CONFIG + "); pass a folder that 'reaper train' wrote");
        if (!Files.isRegularFile(dir.resolve(Checkpoints.FILE)))
            throw new ReaperException(dir + " has no " + Checkpoints.FILE + " (the run never finished an epoch); nothing to explain yet");
        Map<String, Object> config = Json.readMap(dir.resolve(TrainRun.CONFIG));
        @SuppressWarnings("unchecked") Map<String, Object> repr = config.get("repr") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        return new RunMaterial(dir, config, RecordedOptions.of(repr), jsonLines(dir.resolve(MetricsWriter.JSONL)),
                ReprLog.read(dir.resolve(ReprLog.FILE)));
    }

    public Path checkpoint() { return dir.resolve(Checkpoints.FILE); }

    /** The events of repr.jsonl of one kind ("drop", "reinit", "epoch", "config"). */
    public List<Map<String, Object>> events(String kind) {
        return reprLog.stream().filter(e -> kind.equals(e.get("event"))).toList();
    }

    /** The repr.jsonl event of {@code kind} for cycle {@code k} (1-based), or null. */
    public Map<String, Object> event(String kind, int k) {
        return events(kind).stream().filter(e -> e.get("cycle") instanceof Number n && n.intValue() == k).reduce((a, b) -> b).orElse(null);
    }

    /** True when the cycle happened and both of its snapshots exist (runs before snapshots existed have only the log). */
    public boolean hasCycle(int k) {
        return event("drop", k) != null && event("reinit", k) != null
                && Files.isRegularFile(CycleSnapshots.dropFile(dir, k)) && Files.isRegularFile(CycleSnapshots.reinitFile(dir, k));
    }

    public String string(String key, String fallback) { return config.get(key) instanceof String s ? s : fallback; }

    private static List<Map<String, Object>> jsonLines(Path file) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) return out;
        try {
            for (String line : Files.readAllLines(file)) if (!line.isBlank()) out.add(Json.parseMap(line, file.toString()));
        } catch (java.io.IOException e) {
            throw new ReaperException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }
}
