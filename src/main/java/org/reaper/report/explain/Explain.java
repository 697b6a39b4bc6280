package org.reaper.report.explain;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.io.AtomicFile;

/** {@code reaper explain}: one self-contained HTML page that walks through a real RePr cycle of a run, plus a text summary. */
public final class Explain {
    public static final String FILE = "explain.html";

    public record Result(Path page, long bytes, String summary) {}

    private Explain() {}

    /** Writes the page for cycle {@code cycle} (1-based) of the run in {@code runDir} to {@code out} (null: RUN/explain.html). */
    public static Result write(Backend b, Path runDir, Path out, int cycle) {
        if (cycle < 1) throw new ReaperException("--cycle must be 1 or more (got " + cycle + ")");
        RunMaterial run = RunMaterial.read(runDir);
        if (!run.repr().enabled() && cycle > 1)
            throw new ReaperException("--cycle " + cycle + ": " + runDir + " trained with the standard schedule; its page explains one hypothetical cycle, leave --cycle out");
        if (run.repr().enabled() && cycle > run.repr().cycles)
            throw new ReaperException("--cycle " + cycle + ": the run in " + runDir + " has " + run.repr().cycles + " cycle(s); pass --cycle 1.." + run.repr().cycles);
        Map<String, Object> lesson = Lesson.build(b, run, cycle);
        byte[] html = ExplainPage.html(lesson).getBytes(StandardCharsets.UTF_8);
        Path page = out != null ? out : runDir.resolve(FILE);
        AtomicFile.write(page, html);
        return new Result(page, html.length, ExplainSummary.of(lesson));
    }
}
