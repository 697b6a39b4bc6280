package org.reaper.backend.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.reaper.ReaperException;

/**
 * Who computes one op, chosen per shape: Reaper's own kernel ("own") or a library that loaded (cuDNN,
 * cuBLAS). With {@code -Dreaper.cuda.OP=auto} (the default) the first call of a shape times every
 * candidate (one untimed run each, then the median of three timed ones) and keeps the fastest, ties
 * going to the earlier candidate (own first); {@code =own} or {@code =NAME} forces one (a forced
 * library that did not load falls back to own, said once). The choices are kept per shape and counted
 * for {@code reaper info} and the bench JSON.
 */
final class ProviderChoice<K> {
    static final String OWN = "own";

    /**
     * One way to compute the op: its name, the run that writes the op's outputs, and a probe that does the
     * same work but may be repeated for timing (the run itself when the op has no state that it updates).
     */
    record Candidate(String name, Runnable run, Runnable probe) {
        Candidate(String name, Runnable run) { this(name, run, run); }
    }

    /** Milliseconds one run takes, the device synchronised before and after. */
    interface Timer { double millis(Runnable run); }

    private final String op;
    private final String forced;            // null: auto
    private final Timer timer;
    private final Map<K, String> chosen = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    /** @param setting the property's value: auto, own, or a provider's name */
    ProviderChoice(String op, String setting, List<String> known, Timer timer) {
        this.op = op;
        this.timer = timer;
        String s = setting == null || setting.isBlank() ? "auto" : setting.strip().toLowerCase();
        if (!s.equals("auto") && !s.equals(OWN) && !known.contains(s))
            throw new ReaperException("unknown provider '" + setting + "' for -Dreaper.cuda." + op + "; use auto, own" + (known.isEmpty() ? "" : " or " + String.join(", ", known)));
        this.forced = s.equals("auto") ? null : s;
    }

    /** The provider for `key` among `candidates` (own first), running it; measures them on the first call of a shape. */
    String run(K key, List<Candidate> candidates) {
        if (candidates.size() == 1 && forced == null) {   // nothing to choose from (no library loaded): no bookkeeping on the hot path
            candidates.get(0).run().run();
            return candidates.get(0).name();
        }
        String name = chosen.get(key);
        if (name == null) {
            name = pick(candidates);
            chosen.put(key, name);
        }
        for (Candidate c : candidates) if (c.name().equals(name)) { c.run().run(); return name; }
        throw new IllegalStateException(op + ": provider " + name + " vanished");
    }

    /** Reaper's own kernel, or the library `lib` where it loaded (`lib` is then not null). */
    String run(K key, Runnable own, String libName, Runnable lib) {
        if (lib == null && forced == null) { own.run(); return OWN; }
        List<Candidate> c = new ArrayList<>();
        c.add(new Candidate(OWN, own));
        if (lib != null) c.add(new Candidate(libName, lib));
        return run(key, c);
    }

    private String pick(List<Candidate> candidates) {
        if (forced != null) {
            for (Candidate c : candidates) if (c.name().equals(forced)) return forced;
            String note = op + ": " + forced + " is not available here; using Reaper's own kernels";
            if (!notes.contains(note)) { notes.add(note); System.err.println("cuda: " + note); }
            return OWN;
        }
        if (candidates.size() == 1) return candidates.get(0).name();
        String best = null;
        double bestMs = Double.MAX_VALUE;
        for (Candidate c : candidates) {
            c.probe().run();                                 // first use: allocation, algorithm search, caches
            double[] t = {timer.millis(c.probe()), timer.millis(c.probe()), timer.millis(c.probe())};
            java.util.Arrays.sort(t);
            if (t[1] < bestMs) { bestMs = t[1]; best = c.name(); }
        }
        return best;
    }

    /** How many shapes each provider won, e.g. {own=3, cudnn=5} (shapes with a single candidate are not counted). */
    Map<String, Integer> wins() {
        Map<String, Integer> w = new TreeMap<>();
        for (String n : chosen.values()) w.merge(n, 1, Integer::sum);
        return w;
    }

    /** "auto" or the forced provider. */
    String setting() { return forced == null ? "auto" : forced; }
}
