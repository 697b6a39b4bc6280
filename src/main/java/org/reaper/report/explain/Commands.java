package org.reaper.report.explain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reaper.repr.ReprOptions;

/** The exact commands that reproduce the page's run and numbers. */
final class Commands {
    private Commands() {}

    static List<String> of(RunMaterial run, Path ranked, ReprOptions o, boolean real) {
        String dir = run.dir().toString();
        List<String> out = new ArrayList<>();
        out.add("java -jar target/reaper.jar train --config " + Path.of(dir, "config.json") + " --out runs/again   # the same run again");
        StringBuilder rank = new StringBuilder("java -jar target/reaper.jar rank --weights " + ranked + " --criterion " + o.criterion.label());
        rank.append(" --prune ").append(o.prune).append(" --scope ").append(o.scope.label());
        if (o.criterion == ReprOptions.Criterion.ORTHO) rank.append(" --norm ").append(o.norm.label()).append(" --abs ").append(o.abs.label());
        if (o.excludeFirst) rank.append(" --exclude-first");
        if (o.minKeep > 0) rank.append(" --min-keep ").append(o.minKeep);
        out.add(rank + " --json   # the scores and the dropped set of this page");
        out.add("java -jar target/reaper.jar explain --run " + dir + (real ? "" : "   # this page"));
        return out;
    }
}
