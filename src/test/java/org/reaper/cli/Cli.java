package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers: a command line run in-process, the one-line error contract, and folder snapshots ("nothing changed"). */
final class Cli {
    private Cli() {}

    record Result(int code, String out, String err) {
        List<String> errLines() { return err.lines().filter(l -> !l.isBlank()).toList(); }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result run(List<String> args) { return run(args.toArray(String[]::new)); }

    /** Exit code 1 (or {@code code}), exactly one stderr line "reaper: ..." holding every fragment. */
    static String assertOneLineError(Result r, String... mustContain) {
        assertNotEquals(0, r.code, "exit code; stdout: " + r.out);
        assertEquals(1, r.errLines().size(), "exactly one line on stderr, got:\n" + r.err);
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("reaper: "), line);
        for (String s : mustContain) assertTrue(line.contains(s), "'" + s + "' in: " + line);
        return line;
    }

    /** A tiny synthetic train command line (a second or so on 2 cores). */
    static List<String> tinyTrain(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--model", "c2-8-pool", "--dataset", "synthetic", "--train-limit", "64",
                "--test-limit", "32", "--epochs", "1", "--batch", "16", "--max-steps-per-epoch", "2", "--threads", "1"));
        if (out != null) a.addAll(List.of("--out", out.toString()));
        a.addAll(Arrays.asList(more));
        return a;
    }

    /** Every file under {@code dir} (relative path -> bytes as a string), to show that a command changed nothing. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(dir)) return m;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList())
                m.put(dir.relativize(p).toString(), Arrays.toString(Files.readAllBytes(p)) + Files.getLastModifiedTime(p));
        }
        return m;
    }
}
