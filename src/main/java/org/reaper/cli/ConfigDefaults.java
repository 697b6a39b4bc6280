package org.reaper.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.train.Json;
import org.reaper.train.TrainRun;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values for {@code train} from a JSON file ({@code --config FILE.json}, or the config.json of the
 * run named by {@code --resume DIR}), so that flags given on the command line override the file. Keys are
 * the long option names without dashes ({@code "lr"}, {@code "schedule-lr"}); RePr options may also sit in
 * a nested {@code "repr"} object (as config.json writes them).
 */
final class ConfigDefaults implements IDefaultValueProvider {
    private final Map<String, Object> values;

    private ConfigDefaults(Map<String, Object> values) { this.values = values; }

    /** The provider for these arguments, or null when neither --config nor --resume is given. */
    static ConfigDefaults fromArgs(String[] args) {
        String resume = valueOf(args, "--resume"), config = valueOf(args, "--config");
        if (config != null) return new ConfigDefaults(Json.readMap(existing(Path.of(config), "--config")));
        if (resume != null) {
            Path file = Path.of(resume).resolve(TrainRun.CONFIG);
            if (!file.toFile().isFile())
                throw new ReaperException("--resume " + resume + ": no " + TrainRun.CONFIG + " there; pass the run folder that 'train --out' wrote");
            return new ConfigDefaults(Json.readMap(file));
        }
        return null;
    }

    @Override public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) return null;
        String key = o.longestName().replaceFirst("^-+", "");
        if (key.equals("config") || key.equals("resume") || key.equals("out")) return null;
        Object v = values.get(key);
        if (v == null && values.get("repr") instanceof Map<?, ?> repr) v = repr.get(key);
        if (v == null) return null;
        if (v instanceof List<?> l) return String.join(",", l.stream().map(String::valueOf).toList());
        if (v instanceof Map<?, ?>) return null;
        return String.valueOf(v);
    }

    private static Path existing(Path p, String flag) {
        if (!p.toFile().isFile()) throw new ReaperException(flag + " " + p + ": file not found");
        return p;
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
