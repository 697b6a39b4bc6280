package org.reaper.repr;

/**
 * Algorithm 1 on 0-based epochs: cycle k (0-based, k &lt; cycles) trains the full network for S1 epochs, then the
 * sub-network for S2 epochs [k(S1+S2) + S1, (k+1)(S1+S2)); the drop happens at the end of epoch
 * k(S1+S2) + S1 - 1 and the re-initialisation at the end of epoch (k+1)(S1+S2) - 1. After the last cycle the full
 * network trains to the end of the budget. With S1=20, S2=10, N=3 the pruned phases are [20,30), [50,60), [80,90).
 */
public record ReprSchedule(int s1, int s2, int cycles) {

    public static ReprSchedule of(ReprOptions o) { return new ReprSchedule(o.s1, o.s2, o.cycles); }

    public int period() { return s1 + s2; }

    /** First pruned epoch of cycle k. */
    public int pruneStart(int k) { return k * period() + s1; }

    /** First full epoch after cycle k (the re-initialisation happens just before it). */
    public int pruneEnd(int k) { return (k + 1) * period(); }

    /** True when {@code epoch} is trained as the sub-network. */
    public boolean isPruned(int epoch) {
        if (epoch < 0) return false;
        int k = epoch / period();
        return k < cycles && epoch >= pruneStart(k);
    }

    public String phase(int epoch) { return isPruned(epoch) ? "pruned" : "full"; }

    /** The cycle whose drop happens at the end of {@code epoch}, or -1. */
    public int dropAfter(int epoch) {
        int k = (epoch + 1 - s1) / period();
        return epoch + 1 >= s1 && k < cycles && pruneStart(k) == epoch + 1 ? k : -1;
    }

    /** The cycle whose re-initialisation happens at the end of {@code epoch}, or -1. */
    public int reinitAfter(int epoch) {
        int k = (epoch + 1) / period() - 1;
        return k >= 0 && k < cycles && pruneEnd(k) == epoch + 1 ? k : -1;
    }
}
