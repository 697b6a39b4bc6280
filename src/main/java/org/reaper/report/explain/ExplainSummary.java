package org.reaper.report.explain;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The page's story in plain text for the terminal: per layer the filters, their dimension, mean score and drops; the re-init. */
final class ExplainSummary {
    private ExplainSummary() {}

    @SuppressWarnings("unchecked")
    static String of(Map<String, Object> lesson) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "RePr cycle %s of %s (%s, %s)%n", lesson.get("cycle"), lesson.get("run"), lesson.get("model"), lesson.get("dataset")));
        if (lesson.get("notice") != null) b.append("note: ").append(lesson.get("notice")).append('\n');
        b.append(String.format(Locale.ROOT, "  %-22s %7s %5s %10s %12s %8s%n", "layer", "filters", "dim", "mean O", "random O", "dropped"));
        int dropped = 0, total = 0;
        for (Map<String, Object> l : (List<Map<String, Object>>) lesson.get("layers")) {
            int n = ((int[]) l.get("dropped")).length;
            dropped += n;
            total += (int) l.get("filters");
            b.append(String.format(Locale.ROOT, "  %-22s %7d %5d %10.4f %12.4f %8d%n", l.get("name"), (int) l.get("filters"), (int) l.get("dim"),
                    (double) l.get("mean_score"), (double) l.get("random_score"), n));
        }
        b.append(String.format(Locale.ROOT, "  %d of %d filters dropped (p = %s, criterion %s)%n", dropped, total, lesson.get("prune"), lesson.get("criterion")));
        for (Map<String, Object> r : (List<Map<String, Object>>) lesson.get("reinit"))
            b.append(String.format(Locale.ROOT, "  re-init %-14s %2d new in %3d dims, %3d free: %d fully orthogonal, max |cos| kept %.2g, old %.2g%n",
                    r.get("name"), ((int[]) r.get("new")).length, (int) r.get("dim"), (int) r.get("free_dims"), (int) r.get("full_orthogonal"),
                    (double) r.get("max_cos_kept"), (double) r.get("max_cos_old")));
        return b.toString();
    }
}
