package org.reaper.backend;

/**
 * RePr's orthogonal re-initialisation of one layer, as a backend operation so that it runs where the
 * weights live. The layer's weight W is J x D (filters as rows); the dropped rows are rewritten:
 * <ol>
 * <li>The constraints, in order, are the kept filters {@code keptOrder} (callers sort them by
 * decreasing overlap) then the dropped filters' pre-drop values {@code oldRows} (m x D). Taken one at a
 * time, a constraint whose component orthogonal to the ones before is below 1e-9 of its norm is
 * dependent and skipped. The first {@code min(budget, rank)} independent constraints form the space
 * the new filters avoid ({@code budget = D - m}, so the m new filters still fit).</li>
 * <li>New filter i is a standard-normal Philox draw (seed, offset + blocks used so far; D + 1 over 2
 * blocks per draw, up to four draws when a draw turns out dependent) projected onto the orthogonal
 * complement of that space and of the new filters before it, normalised, scaled by {@link Scale}, and
 * written as float32 into row {@code dropped[i]}; its bias (when there is one) becomes 0. When there is
 * no room left (the space spans D), the draw is only normalised.</li>
 * <li>The written rows are measured: per new filter the largest |cos| with a kept filter, the |cos|
 * with its old value, and its L2 norm.</li>
 * </ol>
 * Both backends compute the same projections in double (the result does not depend on how the basis
 * of the space is computed), so their float32 rows agree to rounding.
 */
public final class NullSpaceReinit {
    private NullSpaceReinit() {}

    /** How new filters are scaled: to norm {@code target}; to the kept filters' mean norm (target when none is kept); or unit vectors clamped to +-1/sqrt(D). */
    public enum Scale { TARGET_NORM, MEAN_KEPT_NORM, FAN_IN_CLIP }

    /** What to re-initialise. */
    public record Request(int[] keptOrder, org.reaper.tensor.Tensor oldRows, int[] dropped, int budget, Scale scale, double target,
                          long seed, long offset) {}

    /**
     * @param constraintsUsed   independent constraints the new filters avoid
     * @param constraintsWanted rank of all constraints
     * @param blocksConsumed    Philox blocks drawn (the caller advances its stream by this)
     */
    public record Result(int constraintsUsed, int constraintsWanted, long blocksConsumed, double[] maxCosKept, double[] cosOld, double[] norms) {}
}
