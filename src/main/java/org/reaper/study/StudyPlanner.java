package org.reaper.study;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.train.Checkpoints;
import org.reaper.train.Json;
import org.reaper.train.RunFolder;
import org.reaper.train.RunOptionsDiff;
import org.reaper.train.SummaryWriter;
import org.reaper.train.TrainRun;

/**
 * Decides, before anything trains, what each run of a study needs: a finished run is reused and an interrupted one
 * resumed only when its recorded options equal the requested ones (threads, device and eval batch aside); a run
 * trained with other options is refused with the difference named, or replaced when {@code retrain} is set.
 */
public final class StudyPlanner {
    private StudyPlanner() {}

    public static List<StudyRun> plan(List<StudyRun> requested, boolean retrain) {
        List<StudyRun> out = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (StudyRun r : requested) {
            StudyRun.Action a = action(r, changed, retrain);
            out.add(r.with(a));
        }
        if (!changed.isEmpty())
            throw new ReaperException(changed.size() + " run(s) of this study were trained with other options (" + String.join("; ", changed.subList(0, Math.min(2, changed.size())))
                    + (changed.size() > 2 ? "; ..." : "") + "); choose a new --out, or pass --retrain to train them again with these options");
        return out;
    }

    private static StudyRun.Action action(StudyRun r, List<String> changed, boolean retrain) {
        Path dir = r.dir();
        if (!Files.isDirectory(dir) || !RunFolder.holdsRun(dir)) {
            RunFolder.check(dir, RunFolder.Intent.NEW);     // a file or someone's folder in the way: refuse now
            return StudyRun.Action.TRAIN;
        }
        Map<String, Object> recorded = Json.readMap(dir.resolve(TrainRun.CONFIG));
        List<String> diff = RunOptionsDiff.between(recorded, r.config(), RunOptionsDiff.MACHINE);
        if (!diff.isEmpty()) {
            if (retrain) return StudyRun.Action.RETRAIN;
            changed.add(r.label() + ": " + String.join(", ", diff));
            return StudyRun.Action.RETRAIN;
        }
        Path summary = dir.resolve(SummaryWriter.FILE);
        if (Files.isRegularFile(summary) && Boolean.TRUE.equals(Json.readMap(summary).get("finished"))) return StudyRun.Action.DONE;
        if (Files.isRegularFile(dir.resolve(Checkpoints.FILE))) return StudyRun.Action.RESUME;
        return StudyRun.Action.RETRAIN;                      // started but never finished an epoch: start it again
    }
}
