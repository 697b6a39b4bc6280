package org.reaper.repr;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.backend.OrthoOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Every RePr choice as a command-line option (a picocli mixin for {@code train}, {@code rank}, {@code study})
 * and as a Jackson-serialisable bean for {@code config.json}. Defaults follow the paper (S1=20, S2=10,
 * N=3, p=30 %, ortho with per-filter normalisation and element-wise |.|, global ranking); the choices the
 * paper leaves open default to the most literal reading (zeroed weights, reset optimizer state, null-space
 * re-initialisation scaled to the layer's default-init norm, next layer left alone).
 */
public class ReprOptions {

    /** An option value with a command-line spelling. */
    public interface Labelled { String label(); }

    public enum Schedule implements Labelled {
        STANDARD("standard"), REPR("repr");
        private final String label;
        Schedule(String l) { label = l; }
        @JsonValue @Override public String label() { return label; }
        @JsonCreator public static Schedule of(String s) { return parse(Schedule.class, s); }
    }

    public enum Criterion implements Labelled {
        ORTHO("ortho"), ORTHO_OFFICIAL("ortho-official"), WEIGHT_L1("weight-l1"), WEIGHT_L2("weight-l2"),
        RANDOM("random"), ACTIVATION("activation"), APOZ("apoz"), GRADIENT("gradient"), TAYLOR("taylor"),
        ORACLE("oracle");
        private final String label;
        Criterion(String l) { label = l; }
        @JsonValue @Override public String label() { return label; }
        @JsonCreator public static Criterion of(String s) { return parse(Criterion.class, s); }
        /** True when the criterion needs data (a forward or backward pass), not only the weights. */
        public boolean needsData() { return this == ACTIVATION || this == APOZ || this == GRADIENT || this == TAYLOR || this == ORACLE; }
    }

    public enum Scope implements Labelled {
        GLOBAL("global"), LAYER("layer");
        private final String label;
        Scope(String l) { label = l; }
        @JsonValue @Override public String label() { return label; }
        @JsonCreator public static Scope of(String s) { return parse(Scope.class, s); }
    }

    public enum Norm implements Labelled {
        FILTER("filter"), FROBENIUS("frobenius");
        private final String label;
        Norm(String l) { label = l; }
        @JsonValue @Override public String label() { return label; }
        @JsonCreator public static Norm of(String s) { return parse(Norm.class, s); }
    }

    public enum Abs implements Labelled {
        ELEMENT("element"), MEAN("mean");
        private final String label;
        Abs(String l) { label = l; }
        @JsonValue @Override public String label() { return label; }
        @JsonCreator public static Abs of(String s) { return parse(Abs.class, s); }
    }

    public enum Drop implements Labelled {
        ZERO("zero"), OUTPUT_MASK("output-mask");
        private final String label;
        Drop(String l) { label = l; }
        @JsonValue @Override public String label() { return label; }
        @JsonCreator public static Drop of(String s) { return parse(Drop.class, s); }
    }

    public enum NextLayer implements Labelled {
        KEEP("keep"), ZERO("zero"), RANDOM("random");
        private final String label;
        NextLayer(String l) { label = l; }
        @JsonValue @Override public String label() { return label; }
        @JsonCreator public static NextLayer of(String s) { return parse(NextLayer.class, s); }
    }

    public enum Reinit implements Labelled {
        NULL_SPACE("null-space"), QR_COLUMN("qr-column"), DEFAULT("default");
        private final String label;
        Reinit(String l) { label = l; }
        @JsonValue @Override public String label() { return label; }
        @JsonCreator public static Reinit of(String s) { return parse(Reinit.class, s); }
    }

    public enum ReinitScale implements Labelled {
        DEFAULT_NORM("default-norm"), MEAN_KEPT_NORM("mean-kept-norm"), FAN_IN_CLIP("fan-in-clip");
        private final String label;
        ReinitScale(String l) { label = l; }
        @JsonValue @Override public String label() { return label; }
        @JsonCreator public static ReinitScale of(String s) { return parse(ReinitScale.class, s); }
    }

    // ---------------------------------------------------------------- options

    @Option(names = "--schedule", converter = ScheduleConv.class, paramLabel = "standard|repr",
            description = "Training schedule: standard (default), or repr (Algorithm 1 of the paper).")
    public Schedule schedule = Schedule.STANDARD;

    @Option(names = "--s1", paramLabel = "EPOCHS", description = "Full-network epochs before each drop (default ${DEFAULT-VALUE}).")
    public int s1 = 20;

    @Option(names = "--s2", paramLabel = "EPOCHS", description = "Sub-network (pruned) epochs per cycle (default ${DEFAULT-VALUE}).")
    public int s2 = 10;

    @Option(names = "--cycles", paramLabel = "N", description = "Number of drop / re-initialise cycles (default ${DEFAULT-VALUE}).")
    public int cycles = 3;

    @Option(names = "--prune", paramLabel = "FRACTION", description = "Fraction of all eligible conv filters dropped per cycle (default ${DEFAULT-VALUE}).")
    public double prune = 0.3;

    @Option(names = "--criterion", converter = CriterionConv.class,
            paramLabel = "ortho|ortho-official|weight-l1|weight-l2|random|activation|apoz|gradient|taylor|oracle",
            description = "Filter ranking criterion (default ortho). ortho-official = --norm frobenius --abs mean.")
    public Criterion criterion = Criterion.ORTHO;

    @Option(names = "--scope", converter = ScopeConv.class, paramLabel = "global|layer",
            description = "Rank all filters together (global, the paper) or drop p of each layer (layer).")
    public Scope scope = Scope.GLOBAL;

    @Option(names = "--exclude-first", description = "Never drop filters of the first conv layer (the author's Reddit advice).")
    public boolean excludeFirst = false;

    @Option(names = "--exclude-1x1", description = "Never drop filters of 1x1 convs (ResNet bottlenecks and shortcuts).")
    public boolean exclude1x1 = false;

    @Option(names = "--exclude-downsample", description = "Never drop filters of the residual shortcuts' downsample convs.")
    public boolean excludeDownsample = false;

    @Option(names = "--min-keep", paramLabel = "FILTERS", description = "Floor of filters kept in every layer (default ${DEFAULT-VALUE}: none).")
    public int minKeep = 0;

    @Option(names = "--norm", converter = NormConv.class, paramLabel = "filter|frobenius",
            description = "Ortho normalisation: each filter to unit norm (paper) or the layer's Frobenius norm (official code).")
    public Norm norm = Norm.FILTER;

    @Option(names = "--abs", converter = AbsConv.class, paramLabel = "element|mean",
            description = "Ortho |.|: per Gram element (paper) or after the row mean (official code).")
    public Abs abs = Abs.ELEMENT;

    @Option(names = "--drop", converter = DropConv.class, paramLabel = "zero|output-mask",
            description = "zero: weights, bias, BN of dropped filters held at zero (gradients masked). output-mask: the official code's "
                    + "multiplicative mask: the filter's output is zeroed but its weights are frozen at their pre-drop values.")
    public Drop drop = Drop.ZERO;

    @Option(names = "--keep-optim-state", description = "Keep the optimizer state (momentum, Adam moments) of dropped filters instead of resetting it.")
    public boolean keepOptimState = false;

    @Option(names = "--next-layer", converter = NextLayerConv.class, paramLabel = "keep|zero|random",
            description = "Input channels of the next layer that read a dropped filter: left alone, zeroed at the drop, or randomised at re-init.")
    public NextLayer nextLayer = NextLayer.KEEP;

    @Option(names = "--reinit", converter = ReinitConv.class, paramLabel = "null-space|qr-column|default",
            description = "Re-initialisation: random vectors in the null space of [kept; old dropped] (paper), the official code's QR column, or the default init.")
    public Reinit reinit = Reinit.NULL_SPACE;

    @Option(names = "--reinit-scale", converter = ReinitScaleConv.class, paramLabel = "default-norm|mean-kept-norm|fan-in-clip",
            description = "Norm of re-initialised filters: the expected norm of the layer's default init, the mean kept-filter norm, or clip to +-1/sqrt(fan_in).")
    public ReinitScale reinitScale = ReinitScale.DEFAULT_NORM;

    @Option(names = "--qr-gain", paramLabel = "GAIN", description = "Gain of the qr-column re-init (official code: 1.0).")
    public double qrGain = 1.0;

    @Option(names = "--rank-batches", paramLabel = "BATCHES",
            description = "Validation batches used by data criteria (activation, apoz, gradient, taylor, oracle; default ${DEFAULT-VALUE}).")
    public int rankBatches = 8;

    @Option(names = "--score-criteria",
            description = "At the first drop, also score every filter with every criterion (oracle on the rank images and on the test split "
                    + "included) and write criteria-scores.json; the drop still uses --criterion. Read by `reaper agreement`.")
    public boolean scoreCriteria = false;

    // ---------------------------------------------------------------- derived

    /** True when the RePr schedule is on. */
    @JsonIgnore public boolean enabled() { return schedule == Schedule.REPR; }

    /** The orthogonality variant in effect ({@code ortho-official} forces Frobenius + abs after the mean). */
    @JsonIgnore public OrthoOptions orthoOptions() {
        if (criterion == Criterion.ORTHO_OFFICIAL) return new OrthoOptions(OrthoOptions.Normalization.FROBENIUS, false);
        return new OrthoOptions(norm == Norm.FROBENIUS ? OrthoOptions.Normalization.FROBENIUS : OrthoOptions.Normalization.PER_FILTER,
                abs == Abs.ELEMENT);
    }

    /** One RePr cycle: s1 full and s2 pruned epochs dropping {@code prune}, everything else the defaults. */
    public static ReprOptions oneCycle(int s1, int s2, double prune) {
        ReprOptions o = new ReprOptions();
        o.schedule = Schedule.REPR;
        o.s1 = s1;
        o.s2 = s2;
        o.cycles = 1;
        o.prune = prune;
        return o;
    }

    /** Throws a one-line {@link ReaperException} for inconsistent values. */
    public void validate() {
        if (s1 < 1) throw new ReaperException("--s1 must be at least 1 epoch (got " + s1 + ")");
        if (s2 < 1) throw new ReaperException("--s2 must be at least 1 epoch (got " + s2 + ")");
        if (cycles < 0) throw new ReaperException("--cycles must be >= 0 (got " + cycles + ")");
        if (!(prune > 0 && prune < 1)) throw new ReaperException("--prune must be a fraction in (0, 1), e.g. 0.3 (got " + prune + ")");
        if (minKeep < 0) throw new ReaperException("--min-keep must be >= 0 (got " + minKeep + ")");
        if (rankBatches < 1) throw new ReaperException("--rank-batches must be >= 1 (got " + rankBatches + ")");
        if (!(qrGain > 0)) throw new ReaperException("--qr-gain must be > 0 (got " + qrGain + ")");
    }

    /**
     * Refuses RePr settings that cannot apply to a run of {@code epochs} epochs, given the options the user set
     * ({@code given}: long names without dashes); returns one-line warnings for settings a user could mean.
     */
    public List<String> checkApplies(int epochs, java.util.Set<String> given) {
        List<String> reprFlags = new ArrayList<>();
        for (var f : ReprOptions.class.getFields()) {
            Option opt = f.getAnnotation(Option.class);
            if (opt != null && !opt.names()[0].equals("--schedule") && given.contains(opt.names()[0].substring(2))) reprFlags.add(opt.names()[0]);
        }
        if (!enabled()) {
            if (!reprFlags.isEmpty())
                throw new ReaperException(reprFlags.get(0) + " applies only with --schedule repr; add --schedule repr or leave " + reprFlags.get(0) + " out");
            return List.of();
        }
        validate();
        // ortho-official fixes both; a config.json of such a run records them, so the fixed values are accepted
        boolean official = criterion == Criterion.ORTHO_OFFICIAL;
        needs(given, "norm", criterion == Criterion.ORTHO || official && norm == Norm.FROBENIUS, "--criterion ortho (ortho-official fixes --norm frobenius --abs mean)");
        needs(given, "abs", criterion == Criterion.ORTHO || official && abs == Abs.MEAN, "--criterion ortho (ortho-official fixes --norm frobenius --abs mean)");
        needs(given, "rank-batches", criterion.needsData() || scoreCriteria, "a data criterion (activation, apoz, gradient, taylor, oracle) or --score-criteria");
        needs(given, "qr-gain", reinit == Reinit.QR_COLUMN, "--reinit qr-column");
        needs(given, "reinit-scale", reinit == Reinit.NULL_SPACE, "--reinit null-space");
        if (cycles == 0) throw new ReaperException("--cycles 0 never drops a filter; use --cycles 1 or more, or --schedule standard");
        ReprSchedule sch = ReprSchedule.of(this);
        if (s1 >= epochs)
            throw new ReaperException("--s1 " + s1 + " leaves no epoch to prune in --epochs " + epochs
                    + ": RePr would never drop a filter; use --s1 below --epochs (or more --epochs)");
        List<String> warnings = new ArrayList<>();
        int fit = 0;
        while (fit < cycles && sch.pruneStart(fit) < epochs) fit++;
        if (fit < cycles)
            warnings.add("only " + fit + " of the " + cycles + " --cycles fit in --epochs " + epochs + " (each takes --s1 + --s2 = "
                    + sch.period() + " epochs)");
        if (sch.pruneEnd(fit - 1) >= epochs)
            warnings.add("the run ends inside a pruned phase (" + (sch.pruneStart(fit - 1) + 1 == epochs ? "epoch " + epochs
                    : "epochs " + (sch.pruneStart(fit - 1) + 1) + "-" + epochs) + "): the final network keeps its dropped filters at zero");
        if (prune > 0.5)
            warnings.add("--prune " + prune + " drops " + Math.round(100 * prune) + "% of the filters each cycle (the paper uses 0.3); "
                    + "every layer keeps at least one filter");
        return warnings;
    }

    private static void needs(java.util.Set<String> given, String flag, boolean applies, String what) {
        if (given.contains(flag) && !applies) throw new ReaperException("--" + flag + " applies only with " + what + "; leave --" + flag + " out");
    }

    /** A copy (the study edits copies per variant). */
    public ReprOptions copy() {
        ReprOptions c = new ReprOptions();
        for (var f : ReprOptions.class.getFields()) {
            try { f.set(c, f.get(this)); } catch (IllegalAccessException e) { throw new IllegalStateException(e); }
        }
        return c;
    }

    /** Every effective choice by its command-line name, for config.json and the log. */
    public Map<String, Object> effective() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schedule", schedule.label());
        if (!enabled()) return m;
        OrthoOptions oo = orthoOptions();
        m.put("s1", s1);
        m.put("s2", s2);
        m.put("cycles", cycles);
        m.put("prune", prune);
        m.put("criterion", criterion.label());
        if (criterion == Criterion.ORTHO || criterion == Criterion.ORTHO_OFFICIAL) {
            m.put("norm", oo.normalization() == OrthoOptions.Normalization.FROBENIUS ? "frobenius" : "filter");
            m.put("abs", oo.absPerElement() ? "element" : "mean");
        }
        if (criterion.needsData() || scoreCriteria) m.put("rank-batches", rankBatches);
        m.put("scope", scope.label());
        m.put("exclude-first", excludeFirst);
        m.put("exclude-1x1", exclude1x1);
        m.put("exclude-downsample", excludeDownsample);
        m.put("min-keep", minKeep);
        m.put("drop", drop.label());
        m.put("keep-optim-state", keepOptimState);
        m.put("next-layer", nextLayer.label());
        m.put("reinit", reinit.label());
        if (reinit == Reinit.NULL_SPACE) m.put("reinit-scale", reinitScale.label());
        if (reinit == Reinit.QR_COLUMN) m.put("qr-gain", qrGain);
        if (scoreCriteria) m.put("score-criteria", true);  // only when on: runs recorded before the option stay equal
        m.put("reinit-bias", "zero");
        m.put("reinit-bn", "gamma=1, beta=0, running mean=0, var=1");
        return m;
    }

    /** One line per effective choice ({@code key = value}). */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        effective().forEach((k, v) -> out.add(k + " = " + v));
        return out;
    }

    @Override public String toString() { return String.join(", ", describe()); }

    // ---------------------------------------------------------------- parsing

    /** The constant of {@code type} whose label is {@code s} (case-insensitive), or a one-line error listing the choices. */
    public static <E extends Enum<E> & Labelled> E parse(Class<E> type, String s) {
        String want = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        List<String> labels = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.label().equals(want) || e.name().equalsIgnoreCase(want)) return e;
            labels.add(e.label());
        }
        throw new ReaperException("unknown " + type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT)
                + " '" + s + "': use one of " + String.join(", ", labels));
    }

    private static <T> T checked(java.util.function.Supplier<T> parse) {
        try { return parse.get(); } catch (ReaperException e) { throw new picocli.CommandLine.TypeConversionException(e.getMessage()); }
    }

    public static final class ScheduleConv implements ITypeConverter<Schedule> { public Schedule convert(String s) { return checked(() -> Schedule.of(s)); } }
    public static final class CriterionConv implements ITypeConverter<Criterion> { public Criterion convert(String s) { return checked(() -> Criterion.of(s)); } }
    public static final class ScopeConv implements ITypeConverter<Scope> { public Scope convert(String s) { return checked(() -> Scope.of(s)); } }
    public static final class NormConv implements ITypeConverter<Norm> { public Norm convert(String s) { return checked(() -> Norm.of(s)); } }
    public static final class AbsConv implements ITypeConverter<Abs> { public Abs convert(String s) { return checked(() -> Abs.of(s)); } }
    public static final class DropConv implements ITypeConverter<Drop> { public Drop convert(String s) { return checked(() -> Drop.of(s)); } }
    public static final class NextLayerConv implements ITypeConverter<NextLayer> { public NextLayer convert(String s) { return checked(() -> NextLayer.of(s)); } }
    public static final class ReinitConv implements ITypeConverter<Reinit> { public Reinit convert(String s) { return checked(() -> Reinit.of(s)); } }
    public static final class ReinitScaleConv implements ITypeConverter<ReinitScale> { public ReinitScale convert(String s) { return checked(() -> ReinitScale.of(s)); } }
}
