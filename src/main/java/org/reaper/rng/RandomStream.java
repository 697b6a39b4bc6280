package org.reaper.rng;

/**
 * A run's source of randomness: a seed and a running block offset. Every consumer (init, shuffles,
 * augmentation, dropout) takes its own range of Philox blocks, so the same seed and the same
 * sequence of draws give bit-identical numbers on every run and device. The offset is part of a
 * checkpoint's RNG state.
 */
public final class RandomStream {
    private final long seed;
    private long offset;

    public RandomStream(long seed) { this(seed, 0); }
    public RandomStream(long seed, long offset) { this.seed = seed; this.offset = offset; }

    public long seed() { return seed; }
    public long offset() { return offset; }
    public void setOffset(long offset) { this.offset = offset; }

    /** Reserves {@code blocks} blocks and returns the first. */
    public long reserve(long blocks) { long o = offset; offset += blocks; return o; }

    /** A child stream with a seed derived from this one's and a label, for an independent consumer. */
    public RandomStream fork(long label) {
        int[] w = new int[4];
        Philox.block(seed, 0x5EED_0000_0000_0000L ^ label, w);
        return new RandomStream(((long) w[0] << 32) ^ (w[1] & 0xFFFFFFFFL));
    }

    /** Next uniform float in [0,1). */
    public float nextUniform() { return Philox.uniform(seed, reserve(1), 0); }

    /** Uniform integer in [0, bound) (bound > 0), from one block; the tiny modulo bias is irrelevant here. */
    public int nextInt(int bound) {
        int[] w = new int[4];
        Philox.block(seed, reserve(1), w);
        return (int) (((w[0] & 0xFFFFFFFFL) * bound) >>> 32);
    }

    /** Fisher–Yates shuffle of {@code a}. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
    }
}
