package org.reaper.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.reaper.ReaperException;
import org.reaper.io.IoErrors;
import org.reaper.train.Json;
import org.reaper.train.RunFolder;

/** The study's own folder: study.json (what was asked) marks it, so a study never trains into someone else's folder. */
public final class StudyFolder {
    public static final String JSON = "study.json";

    private StudyFolder() {}

    /** Refuses, changing nothing, an --out that is a file or a non-empty folder holding no study. */
    public static void check(Path out, boolean mustExist) {
        if (out.toString().isBlank()) throw new ReaperException("--out is empty; pass the study's folder");
        if (Files.exists(out) && !Files.isDirectory(out)) throw new ReaperException("--out " + out + " is a file, not a folder; choose a folder for the study");
        if (!Files.isDirectory(out)) {
            if (mustExist) throw new ReaperException("--out " + out + ": the folder does not exist");
            return;
        }
        if (isStudy(out)) return;
        List<String> entries;
        try (Stream<Path> s = Files.list(out)) {
            entries = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(RunFolder.LOCK)).sorted().toList();
        } catch (IOException e) {
            throw new ReaperException("cannot read --out " + out + ": " + IoErrors.reason(e), e);
        }
        if (mustExist || !entries.isEmpty())
            throw new ReaperException("--out " + out + " holds no study (no " + JSON + " or " + StudySummary.MD + ")"
                    + (entries.isEmpty() ? "" : " but other files (" + String.join(", ", entries.subList(0, Math.min(3, entries.size()))) + ")")
                    + "; choose an empty or new folder");
    }

    static boolean isStudy(Path out) { return Files.isRegularFile(out.resolve(JSON)) || Files.isRegularFile(out.resolve(StudySummary.MD)); }

    /** What study.json records that --status and report need. */
    public record Request(List<String> variants, int seeds) {}

    /** Reads study.json (written by every study since the Slurm support) or refuses with one line. */
    public static Request readRequest(Path out) {
        Path f = out.resolve(JSON);
        if (!Files.isRegularFile(f)) throw new ReaperException(out + " is not a study folder (no " + JSON + "); pass the --out of a 'reaper study'");
        Map<String, Object> m = Json.readMap(f);
        if (!(m.get("variants") instanceof List<?> vs) || !(m.get("seeds") instanceof Number n))
            throw new ReaperException(f + " has no variants or seeds; the file is damaged");
        return new Request(vs.stream().map(String::valueOf).toList(), n.intValue());
    }

    /** Removes a study folder this command created before a refused submission (only the files a study writes). */
    public static void removeNew(Path out) {
        try {
            Files.deleteIfExists(out.resolve(JSON));
            Files.deleteIfExists(out.resolve(RunFolder.LOCK));
            Files.deleteIfExists(out);
        } catch (IOException ignored) {
            // something else is in it now: leave it
        }
    }

    /** Records the study's request (readable, and the marker {@link #check} looks for). */
    public static void writeRequest(Path out, Map<String, Object> request) {
        Json.writeAtomically(out.resolve(JSON), Json.pretty(request) + "\n");
    }
}
