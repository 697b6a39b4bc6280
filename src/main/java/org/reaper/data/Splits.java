package org.reaper.data;

import org.reaper.ReaperException;
import org.reaper.rng.RandomStream;

import java.util.Arrays;

/** Held-out validation splits of a training set. */
public final class Splits {
    private static final long SPLIT_STREAM = 0x5B117L;

    private Splits() {}

    /**
     * {train', val}: {@code valCount} images chosen uniformly at random (class-agnostic, from
     * {@code new RandomStream(seed)}) become the validation set, the rest the training set; both keep
     * the original image order. {@code valCount == 0} gives {train, null}.
     */
    public static ImageDataset[] trainVal(ImageDataset train, int valCount, long seed) {
        if (valCount == 0) return new ImageDataset[] {train, null};
        if (valCount < 0) throw new ReaperException("--val must be 0 or more, got " + valCount);
        if (valCount >= train.size())
            throw new ReaperException("--val " + valCount + " must be smaller than the " + ImageDataset.count(train.size())
                    + " training images of " + train.description());
        int n = train.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        new RandomStream(seed).fork(SPLIT_STREAM).shuffle(perm);
        int[] val = Arrays.copyOfRange(perm, 0, valCount);
        int[] rest = Arrays.copyOfRange(perm, valCount, n);
        Arrays.sort(val);
        Arrays.sort(rest);
        String what = " of " + train.description() + " (split seed " + seed + ")";
        return new ImageDataset[] {
            train.subset(rest, "training part, " + ImageDataset.count(rest.length) + " images," + what),
            train.subset(val, "validation part, " + ImageDataset.count(val.length) + " images," + what)
        };
    }
}
