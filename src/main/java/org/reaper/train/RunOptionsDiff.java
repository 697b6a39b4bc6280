package org.reaper.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The options on which a requested run differs from a recorded one (config.json), named as flags: what decides
 * whether a run may be resumed with these flags, or a finished run reused by a study. Keys that only describe
 * the run (name, environment, dataset-info) are not options. A key the recorded file lacks (an option added after it
 * was written) counts as that option's default: a run recorded before {@code --ortho-penalty} existed trained without it.
 */
public final class RunOptionsDiff {
    /** Options that may change when a run resumes: they do not change what is computed. */
    public static final Set<String> RESUMABLE = Set.of("epochs", "threads", "device", "eval-batch", "workers");
    /** Options that only choose where and how fast a run computes. */
    public static final Set<String> MACHINE = Set.of("threads", "device", "eval-batch", "workers");
    private static final Set<String> NOT_OPTIONS = Set.of("name", "environment", "dataset-info", "schedule-lr-description",
            "reinit-bias", "reinit-bn");

    private RunOptionsDiff() {}

    /** "--seed 1 -> 5" per differing option, in config order; empty when the run is the same. */
    public static List<String> between(Map<String, Object> recorded, RunConfig requested, Set<String> mayDiffer) {
        Map<String, Object> was = flatten(recorded), now = flatten(Json.parseMap(Json.compact(requested), "the requested options"));
        List<String> out = new ArrayList<>();
        for (var e : was.entrySet()) {
            String k = e.getKey();
            if (mayDiffer.contains(k) || NOT_OPTIONS.contains(k)) continue;
            Object a = normalise(k, e.getValue()), b = normalise(k, now.get(k));
            if (!Objects.equals(a, b)) out.add("--" + k + " " + show(a) + " -> " + show(b));
        }
        Map<String, Object> defaults = flatten(Json.parseMap(Json.compact(new RunConfig()), "the default options"));
        for (var e : now.entrySet()) {
            String k = e.getKey();
            if (was.containsKey(k) || !defaults.containsKey(k) || mayDiffer.contains(k) || NOT_OPTIONS.contains(k)) continue;
            Object a = normalise(k, defaults.get(k)), b = normalise(k, e.getValue());
            if (!Objects.equals(a, b)) out.add("--" + k + " " + show(a) + " -> " + show(b));
        }
        return out;
    }

    private static Map<String, Object> flatten(Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>(config);
        Object repr = m.remove("repr");
        if (repr instanceof Map<?, ?> r) r.forEach((k, v) -> m.put(String.valueOf(k), v));
        else m.put("schedule", "standard");
        return m;
    }

    private static Object normalise(String key, Object v) {
        if ("data".equals(key) && v instanceof String s && !s.isBlank()) return Path.of(s).toAbsolutePath().normalize().toString();
        if (v instanceof Number n && !(v instanceof Double)) return n.doubleValue();
        if (v instanceof Double d) return d;
        return v;
    }

    private static String show(Object v) {
        if (v == null) return "(none)";
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf(d.longValue());
        return String.valueOf(v);
    }
}
