package org.reaper.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reaper.ReaperException;
import org.reaper.study.StudyFolder;
import org.reaper.study.StudySummary;
import org.reaper.study.Variant;
import org.reaper.train.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code report runs/*}: one table row per run folder (config.json + summary.json). */
@Command(name = "report", mixinStandardHelpOptions = true, description = {"Compare run folders: final and best test accuracy, epochs, schedule, time.",
        "Given one study folder (reaper study --out), writes its study.md and study.png from the finished runs."})
public final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN-DIR", description = "Run folders (those without summary.json are listed as skipped).")
    List<Path> runs;

    @Override public Integer call() {
        PrintWriter pw = spec.commandLine().getOut();
        for (Path r : runs)
            if (!Files.isDirectory(r))
                throw new ReaperException("report: " + r + " is not a folder; pass run folders (train --out) or one study folder (study --out)");
        if (runs.size() == 1 && Files.isRegularFile(runs.get(0).resolve(StudyFolder.JSON))) return study(runs.get(0), pw);
        pw.println("| run | model | schedule | epochs | final test acc (%) | best test acc (%) @epoch | minutes |");
        pw.println("|---|---|---|---|---|---|---|");
        for (Path r : runs) {
            Path sum = r.resolve("summary.json"), cfg = r.resolve("config.json");
            if (!Files.isRegularFile(sum) || !Files.isRegularFile(cfg)) {
                pw.println("| " + r + " | (skipped: no summary.json / config.json) | | | | | |");
                continue;
            }
            Map<String, Object> s = Json.readMap(sum), c = Json.readMap(cfg);
            pw.printf(Locale.ROOT, "| %s | %s | %s | %s/%s%s | %.2f | %.2f @%s | %.1f |%n", r, c.get("model"), schedule(c),
                    s.get("epochs_done"), s.get("epochs"), Boolean.TRUE.equals(s.get("finished")) ? "" : " (unfinished)",
                    100 * num(s.get("final_test_acc")), 100 * num(s.get("best_test_acc")), s.get("best_test_epoch"),
                    num(s.get("total_seconds")) / 60);
        }
        pw.flush();
        return 0;
    }

    /** A study folder (a local or Slurm study): its table and plot from the finished runs, as 'study --summarise-only' writes them. */
    private static int study(Path dir, PrintWriter pw) {
        StudyFolder.Request r = StudyFolder.readRequest(dir);
        StudySummary summary = StudySummary.collect(dir, r.variants().stream().map(Variant::parse).toList(), r.seeds(), Map.of());
        List<Path> written = summary.write(dir);
        pw.println(summary.markdown());
        pw.println("wrote " + String.join(" and ", written.stream().map(Path::toString).toList()));
        pw.flush();
        return 0;
    }

    @SuppressWarnings("unchecked")
    static String schedule(Map<String, Object> config) {
        if (!(config.get("repr") instanceof Map<?, ?> m) || !"repr".equals(m.get("schedule"))) return "standard";
        Map<String, Object> r = (Map<String, Object>) m;
        StringBuilder b = new StringBuilder("repr " + r.get("criterion") + " p=" + r.get("prune") + " " + r.get("scope"));
        if (Boolean.TRUE.equals(r.get("exclude-first"))) b.append(" excl-first");
        b.append(" S1=").append(r.get("s1")).append(" S2=").append(r.get("s2")).append(" N=").append(r.get("cycles"));
        return b.toString();
    }

    static double num(Object o) { return o instanceof Number n ? n.doubleValue() : Double.NaN; }
}
