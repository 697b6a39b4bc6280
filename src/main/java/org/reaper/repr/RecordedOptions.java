package org.reaper.repr;

import java.util.Map;

/** The {@link ReprOptions} a run recorded in config.json ({@link ReprOptions#effective()}'s keys); absent keys keep their defaults. */
public final class RecordedOptions {
    private RecordedOptions() {}

    public static ReprOptions of(Map<String, Object> m) {
        ReprOptions o = new ReprOptions();
        if (m == null) return o;
        if (m.get("schedule") instanceof String s) o.schedule = ReprOptions.Schedule.of(s);
        if (m.get("s1") instanceof Number n) o.s1 = n.intValue();
        if (m.get("s2") instanceof Number n) o.s2 = n.intValue();
        if (m.get("cycles") instanceof Number n) o.cycles = n.intValue();
        if (m.get("prune") instanceof Number n) o.prune = n.doubleValue();
        if (m.get("criterion") instanceof String s) o.criterion = ReprOptions.Criterion.of(s);
        if (m.get("norm") instanceof String s) o.norm = ReprOptions.Norm.of(s);
        if (m.get("abs") instanceof String s) o.abs = ReprOptions.Abs.of(s);
        if (m.get("rank-batches") instanceof Number n) o.rankBatches = n.intValue();
        if (m.get("scope") instanceof String s) o.scope = ReprOptions.Scope.of(s);
        if (m.get("exclude-first") instanceof Boolean b) o.excludeFirst = b;
        if (m.get("exclude-1x1") instanceof Boolean b) o.exclude1x1 = b;
        if (m.get("exclude-downsample") instanceof Boolean b) o.excludeDownsample = b;
        if (m.get("min-keep") instanceof Number n) o.minKeep = n.intValue();
        if (m.get("drop") instanceof String s) o.drop = ReprOptions.Drop.of(s);
        if (m.get("keep-optim-state") instanceof Boolean b) o.keepOptimState = b;
        if (m.get("next-layer") instanceof String s) o.nextLayer = ReprOptions.NextLayer.of(s);
        if (m.get("reinit") instanceof String s) o.reinit = ReprOptions.Reinit.of(s);
        if (m.get("reinit-scale") instanceof String s) o.reinitScale = ReprOptions.ReinitScale.of(s);
        if (m.get("score-criteria") instanceof Boolean b) o.scoreCriteria = b;
        if (m.get("qr-gain") instanceof Number n) o.qrGain = n.doubleValue();
        return o;
    }
}
