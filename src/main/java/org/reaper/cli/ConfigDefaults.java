package org.reaper.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reaper.ReaperException;
import org.reaper.repr.ReprOptions;
import org.reaper.train.Json;
import org.reaper.train.TrainRun;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values for {@code train} from a JSON file ({@code --config FILE.json}, or the config.json of the
 * run named by {@code --resume DIR}), so that flags given on the command line override the file. Keys are
 * the long option names without dashes ({@code "lr"}, {@code "schedule-lr"}); RePr options may also sit in
 * a nested {@code "repr"} object (as config.json writes them). An unknown key or a value of the wrong type is
 * an error naming the key: a typo must never train with a default silently.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    /** Keys config.json writes to describe a run; they are not options and are skipped. */
    private static final Set<String> DESCRIPTIVE = Set.of("name", "environment", "dataset-info", "schedule-lr-description",
            "reinit-bias", "reinit-bn");
    private static final Set<String> NOT_FROM_FILE = Set.of("config", "resume", "help", "version", "debug");

    private final Map<String, Object> values;
    private final Set<String> changed;

    /** {@code changed}: the keys whose value differs from the option's default (what the file chooses). */
    private ConfigDefaults(Map<String, Object> values, Set<String> changed) {
        this.values = values;
        this.changed = changed;
    }

    /** The provider for these arguments, or null when neither --config nor --resume is given. */
    static ConfigDefaults fromArgs(String[] args, CommandSpec train) {
        String resume = valueOf(args, "--resume"), config = valueOf(args, "--config");
        if (config != null && resume != null)
            throw new ReaperException("--config and --resume cannot be combined: a resumed run keeps the options recorded in its config.json");
        if (config != null) {
            Path file = Path.of(config);
            if (!Files.isRegularFile(file)) throw new ReaperException("--config " + config + ": file not found");
            Map<String, Object> values = checked(Json.readMap(file), "--config " + config, train);
            Set<String> changed = new java.util.HashSet<>();
            for (var e : values.entrySet()) if (!isDefault(train.findOption("--" + e.getKey()), e.getValue())) changed.add(e.getKey());
            return new ConfigDefaults(values, changed);
        }
        if (resume != null) {
            Path dir = Path.of(resume);
            if (resume.isEmpty() || !Files.exists(dir)) throw new ReaperException("--resume " + resume + ": the folder does not exist");
            if (!Files.isDirectory(dir)) throw new ReaperException("--resume " + resume + " is a file; pass the run folder that 'train --out' wrote");
            Path file = dir.resolve(TrainRun.CONFIG);
            if (!Files.isRegularFile(file))
                throw new ReaperException("--resume " + resume + " is not a run folder (no " + TrainRun.CONFIG + "); pass the folder that 'train --out' wrote");
            return new ConfigDefaults(checked(Json.readMap(file), file.toString(), train), Set.of());
        }
        return null;
    }

    /**
     * The options (names without dashes) a --config file sets to something other than their default: the user's
     * choices, checked like flags. A run's config.json lists every option, so its defaults do not count; the
     * config.json read for --resume counts for nothing (it is the run's own record).
     */
    Set<String> givenKeys() { return changed; }

    private static boolean isDefault(OptionSpec o, Object v) {
        Object init = o.initialValue();
        if (init instanceof ReprOptions.Labelled l) init = l.label();
        if (init instanceof Number a && v instanceof Number b) return a.doubleValue() == b.doubleValue()
                || Float.toString(a.floatValue()).equals(Float.toString(b.floatValue()));
        if (init == null) return v == null;
        return String.valueOf(init).equalsIgnoreCase(String.valueOf(v));
    }

    @Override public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) return null;
        Object v = values.get(name(o));
        if (v == null) return null;
        if (v instanceof List<?> l) return String.join(",", l.stream().map(String::valueOf).toList());
        return String.valueOf(v);
    }

    /** The options of the file, flattened ("repr" entries lifted), each checked against the option it sets. */
    private static Map<String, Object> checked(Map<String, Object> file, String where, CommandSpec train) {
        Map<String, Object> flat = new LinkedHashMap<>();
        for (var e : file.entrySet()) {
            if (e.getKey().equals("repr") && e.getValue() instanceof Map<?, ?> repr) {
                for (var r : repr.entrySet()) put(flat, String.valueOf(r.getKey()), r.getValue(), where + " (in \"repr\")");
            } else {
                put(flat, e.getKey(), e.getValue(), where);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : flat.entrySet()) {
            String key = e.getKey();
            if (DESCRIPTIVE.contains(key) || e.getValue() == null) continue;
            OptionSpec o = train.findOption("--" + key);
            if (o == null || NOT_FROM_FILE.contains(key))
                throw new ReaperException(where + ": unknown key \"" + key + "\"" + suggestion(key, train) + "; keys are train's option names without dashes");
            checkType(where, key, e.getValue(), o.type());
            out.put(key, e.getValue());
        }
        return out;
    }

    private static void put(Map<String, Object> flat, String key, Object value, String where) {
        if (flat.containsKey(key)) throw new ReaperException(where + ": key \"" + key + "\" is given twice");
        flat.put(key, value);
    }

    private static void checkType(String where, String key, Object v, Class<?> type) {
        String want = null;
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) want = "a whole number";
        } else if (type == float.class || type == double.class || type == Float.class || type == Double.class) {
            if (!(v instanceof Number)) want = "a number";
        } else if (type == boolean.class || type == Boolean.class) {
            if (!(v instanceof Boolean)) want = "true or false";
        } else if (type.isArray()) {
            if (!(v instanceof List<?> l) || !l.stream().allMatch(x -> x instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())))
                want = "a list of whole numbers";
        } else if (!(v instanceof String)) {
            want = "a string";
        }
        if (want != null) throw new ReaperException(where + ": \"" + key + "\" must be " + want + " (got " + Json.compact(v) + ")");
    }

    private static String suggestion(String key, CommandSpec train) {
        String best = null;
        int bestD = 3;
        for (OptionSpec o : train.options()) {
            String n = name(o);
            int d = distance(key, n);
            if (d < bestD) { bestD = d; best = n; }
        }
        return best == null ? "" : " (did you mean \"" + best + "\"?)";
    }

    private static String name(OptionSpec o) { return o.longestName().replaceFirst("^-+", ""); }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    /** The value after {@code flag} ("--flag V" or "--flag=V"), or null. */
    static String valueOf(String[] args, String flag) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) break;
            if (args[i].equals(flag) && i + 1 < args.length) return args[i + 1];
            if (args[i].startsWith(flag + "=")) return args[i].substring(flag.length() + 1);
        }
        return null;
    }
}
