package org.reaper.data;

import org.reaper.rng.Philox;

/**
 * The random choices for one image of an epoch: the crop window's offset into the padded image
 * (0..2*pad on each axis; pad = centred, the unshifted image) and whether to mirror it.
 * Drawn from one Philox block keyed by the epoch's augmentation seed and the image's position in
 * the epoch, so it does not depend on which thread prepares the batch or on earlier draws.
 */
record AugmentDraw(int dx, int dy, boolean flip) {

    static AugmentDraw of(Augmentation aug, long augSeed, long position) {
        if (aug.isNone()) return new AugmentDraw(aug.pad(), aug.pad(), false);
        int[] w = new int[4];
        Philox.block(augSeed, position, w);
        int span = 2 * aug.pad() + 1;
        int dx = aug.randomCrop() ? below(w[0], span) : aug.pad();
        int dy = aug.randomCrop() ? below(w[1], span) : aug.pad();
        boolean flip = aug.flip() && w[2] < 0; // top bit: probability 1/2
        return new AugmentDraw(dx, dy, flip);
    }

    private static int below(int word, int bound) { return (int) (((word & 0xFFFFFFFFL) * bound) >>> 32); }
}
