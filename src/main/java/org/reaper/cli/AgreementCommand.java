package org.reaper.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.reaper.ReaperException;
import org.reaper.repr.AgreementReport;
import org.reaper.repr.CriteriaScores;
import org.reaper.repr.CriteriaScoring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code reaper agreement}: how well each ranking criterion predicts the oracle, from runs trained with --score-criteria. */
@Command(name = "agreement", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rank correlation (Spearman, Kendall) of every ranking criterion with the oracle at the first drop point, per layer "
                + "and global, and the overlap of their drop sets; mean ± std over runs. Writes agreement.md, agreement.json, agreement.png.",
                "Each RUN is a run folder trained with --schedule repr --score-criteria (or its criteria-scores.json), or a folder of such runs "
                + "(e.g. a study variant holding seed1, seed2, ...)."})
public final class AgreementCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run folders, criteria-scores.json files, or folders of runs.") List<Path> runs;
    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: the single folder given, else the first run's parent).") Path out;
    @Option(names = "--all-layers", description = "Compare over every conv layer, also those the runs excluded from dropping (e.g. --exclude-first).") boolean allLayers;

    @Override public Integer call() {
        List<CriteriaScores> scores = new ArrayList<>();
        for (Path p : runs) for (Path r : expand(p)) scores.add(allLayers ? CriteriaScores.read(r).everyLayer() : CriteriaScores.read(r));
        Path dir = out != null ? out : runs.size() == 1 && Files.isDirectory(runs.get(0)) && !Files.exists(runs.get(0).resolve(CriteriaScoring.FILE))
                ? runs.get(0) : scores.get(0).file().getParent().getParent();
        if (dir == null) dir = Path.of(".");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ReaperException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        String md = AgreementReport.write(scores, dir);
        spec.commandLine().getOut().print(md);
        spec.commandLine().getOut().println("written: " + dir.resolve("agreement.md") + ", agreement.json, agreement.png");
        return 0;
    }

    /** A run (or file) stands for itself; a folder without a scores file stands for its sub-folders that have one. */
    private static List<Path> expand(Path p) {
        if (!Files.exists(p)) throw new ReaperException(p + " does not exist: pass run folders trained with --schedule repr --score-criteria");
        if (!Files.isDirectory(p) || Files.exists(p.resolve(CriteriaScoring.FILE))) return List.of(p);
        if (Files.isRegularFile(p.resolve("config.json")))   // a run folder, not a folder of runs
            throw new ReaperException(p + " has no " + CriteriaScoring.FILE + " yet: a run trained with --schedule repr --score-criteria writes it "
                    + "at its first drop (after --s1 epochs); resume it with 'train --resume " + p + "'");
        try (Stream<Path> s = Files.list(p)) {
            List<Path> found = s.filter(d -> Files.isRegularFile(d.resolve(CriteriaScoring.FILE))).sorted().toList();
            if (found.isEmpty())
                throw new ReaperException(p + " holds no " + CriteriaScoring.FILE + ": train its runs with --schedule repr --score-criteria");
            return found;
        } catch (IOException e) {
            throw new ReaperException("cannot list " + p + ": " + e.getMessage(), e);
        }
    }
}
