package org.reaper.report.explain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run as a whole for the page: its metrics rows around a cycle, its plots, drops per layer and cycle, and its study. */
final class RunCurves {
    private static final String STUDY_MD = "study.md", STUDY_PNG = "study.png";   // written by study.StudySummary, two folders up

    private RunCurves() {}

    /** Test/train accuracy and loss of the epoch that was ranked and of the cycle's pruned epochs (empty for a hypothetical cycle). */
    static List<Map<String, Object>> phaseRows(RunMaterial run, int cycle) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (cycle < 1) return out;
        int dropEpoch = ((Number) run.event("drop", cycle).get("epoch")).intValue();
        int reinitEpoch = ((Number) run.event("reinit", cycle).get("epoch")).intValue();
        for (Map<String, Object> r : run.metrics()) {
            int e = ((Number) r.get("epoch")).intValue();
            if (e < dropEpoch || e > reinitEpoch + 1) continue;
            Map<String, Object> row = new LinkedHashMap<>();
            for (String k : List.of("epoch", "phase", "train_loss", "train_acc", "test_loss", "test_acc", "dropped"))
                row.put(k, finite(r.get(k)));
            out.add(row);
        }
        return out;
    }

    static Map<String, Object> whole(RunMaterial run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("curves_png", FilterImages.file(run.dir().resolve("curves.png")));
        m.put("ortho_png", FilterImages.file(run.dir().resolve("ortho_sum.png")));
        m.put("drops_png", FilterImages.file(run.dir().resolve("drops.png")));
        List<Map<String, Object>> drops = new ArrayList<>();
        for (Map<String, Object> e : run.events("drop")) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("cycle", e.get("cycle"));
            d.put("epoch", e.get("epoch"));
            Map<String, Object> per = new LinkedHashMap<>();
            if (e.get("layers") instanceof List<?> ls)
                for (Object o : ls) if (o instanceof Map<?, ?> l) per.put(String.valueOf(l.get("name")), l.get("count"));
            d.put("layers", per);
            drops.add(d);
        }
        m.put("drops", drops);
        Path study = run.dir().toAbsolutePath().normalize().getParent();
        study = study == null ? null : study.getParent();
        if (study != null && Files.isRegularFile(study.resolve(STUDY_MD))) {
            m.put("study", study.getFileName().toString());
            m.put("study_png", FilterImages.file(study.resolve(STUDY_PNG)));
            try {
                m.put("study_md", Files.readString(study.resolve(STUDY_MD)));
            } catch (java.io.IOException e) {
                m.put("study_md", null);
            }
        }
        Map<String, Object> last = run.metrics().isEmpty() ? Map.of() : run.metrics().get(run.metrics().size() - 1);
        m.put("epochs", last.get("epoch"));
        m.put("final_test_acc", finite(last.get("test_acc")));
        return m;
    }

    private static Object finite(Object v) {
        return v instanceof Number n && !Double.isFinite(n.doubleValue()) ? null : v;
    }
}
