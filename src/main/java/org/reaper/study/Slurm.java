package org.reaper.study;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.reaper.ReaperException;

/** The few Slurm commands a study uses (sbatch, scontrol), run as processes: the cluster's own tools, never a mock. */
public final class Slurm {
    /** One array task as the controller sees it. */
    public record TaskState(String state, String reason, int restarts, String exitCode) {}

    private Slurm() {}

    /** True when {@code tool} is an executable on the PATH. */
    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            if (!dir.isEmpty() && Path.of(dir, tool).toFile().canExecute()) return true;
        return false;
    }

    /** Submits the script and returns the job id. */
    public static String submit(Path script) {
        Result r = run(List.of("sbatch", "--parsable", script.toString()));
        if (r.code != 0) throw new ReaperException("sbatch refused the study: " + firstLine(r.err.isBlank() ? r.out : r.err));
        String id = r.out.strip().split(";")[0];
        if (!id.matches("\\d+")) throw new ReaperException("sbatch answered '" + firstLine(r.out) + "' instead of a job id");
        return id;
    }

    /** The state of every array task of {@code jobId} the controller still knows (by task index); empty when it forgot the job. */
    public static Map<Integer, TaskState> tasks(String jobId) {
        Map<Integer, TaskState> out = new HashMap<>();
        if (!onPath("scontrol")) return out;
        Result r = run(List.of("scontrol", "-o", "show", "job", jobId));
        if (r.code != 0) return out;
        for (String line : r.out.split("\\R")) {
            Map<String, String> f = fields(line);
            String ids = f.get("ArrayTaskId");
            if (ids == null) continue;
            TaskState s = new TaskState(f.getOrDefault("JobState", "?"), f.getOrDefault("Reason", "None"),
                    parseInt(f.get("Restarts")), f.getOrDefault("ExitCode", "?"));
            for (int i : indices(ids)) out.put(i, s);
        }
        return out;
    }

    /** "0-3%2", "1,3,5-6" as indices (the throttle after % is dropped). */
    static List<Integer> indices(String spec) {
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split("%")[0].split(",")) {
            String[] ab = part.split("-");
            try {
                int a = Integer.parseInt(ab[0].trim()), b = ab.length > 1 ? Integer.parseInt(ab[1].trim()) : a;
                for (int i = a; i <= b; i++) out.add(i);
            } catch (NumberFormatException e) {
                // not an index list: nothing to report for it
            }
        }
        return out;
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> f = new HashMap<>();
        for (String tok : line.trim().split("\\s+")) {
            int eq = tok.indexOf('=');
            if (eq > 0) f.put(tok.substring(0, eq), tok.substring(eq + 1));
        }
        return f;
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private record Result(int code, String out, String err) {}

    private static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes(), err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ReaperException(cmd.get(0) + " did not answer within 60 s; is the Slurm controller up?");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ReaperException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReaperException("interrupted while waiting for " + cmd.get(0));
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
