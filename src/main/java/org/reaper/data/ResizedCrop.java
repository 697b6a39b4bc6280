package org.reaper.data;

import org.reaper.rng.Philox;

/**
 * torchvision's ImageNet transforms, geometry only: {@code RandomResizedCrop(S, scale=(0.08, 1), ratio=(3/4, 4/3))}
 * + {@code RandomHorizontalFlip()} for training, {@code Resize(int(S / 0.875))} + {@code CenterCrop(S)} for
 * evaluation. Every draw comes from Philox keyed by (epoch augmentation seed, image position in the epoch),
 * so the result does not depend on which worker prepares the image.
 */
public final class ResizedCrop {
    public static final double SCALE_MIN = 0.08, SCALE_MAX = 1.0, RATIO_MIN = 3.0 / 4, RATIO_MAX = 4.0 / 3;
    /** Evaluation resizes the shorter side to S / 0.875 (256 for 224), as torchvision's reference scripts do. */
    public static final double EVAL_CROP_FRACTION = 0.875;
    private static final int ATTEMPTS = 10, BLOCKS_PER_IMAGE = 16;

    private ResizedCrop() {}

    /** The training crop: the window and whether to mirror it. */
    public record Draw(CropBox box, boolean flip) {}

    /** torchvision's RandomResizedCrop.get_params (10 tries, then a centred crop with the ratio clamped) and a flip. */
    public static Draw random(int height, int width, long augSeed, long position, boolean flip) {
        int[] w = new int[4];
        double area = (double) height * width, logMin = Math.log(RATIO_MIN), logMax = Math.log(RATIO_MAX);
        CropBox box = null;
        for (int attempt = 0; attempt < ATTEMPTS && box == null; attempt++) {
            Philox.block(augSeed, position * BLOCKS_PER_IMAGE + attempt, w);
            double target = area * (SCALE_MIN + (SCALE_MAX - SCALE_MIN) * unit(w[0]));
            double ratio = Math.exp(logMin + (logMax - logMin) * unit(w[1]));
            int cw = (int) Math.rint(Math.sqrt(target * ratio)), ch = (int) Math.rint(Math.sqrt(target / ratio));
            if (cw > 0 && cw <= width && ch > 0 && ch <= height)
                box = new CropBox(below(w[2], height - ch + 1), below(w[3], width - cw + 1), ch, cw);
        }
        if (box == null) box = centralFallback(height, width);
        Philox.block(augSeed, position * BLOCKS_PER_IMAGE + ATTEMPTS, w);
        return new Draw(box, flip && w[0] < 0);
    }

    static CropBox centralFallback(int height, int width) {
        double inRatio = (double) width / height;
        int cw = width, ch = height;
        if (inRatio < RATIO_MIN) ch = (int) Math.rint(width / RATIO_MIN);
        else if (inRatio > RATIO_MAX) cw = (int) Math.rint(height * RATIO_MAX);
        return new CropBox((height - ch) / 2, (width - cw) / 2, ch, cw);
    }

    /** The size of torchvision's {@code Resize(short)} of an image: the shorter side becomes {@code shortSide}. */
    public static int[] resizedShape(int height, int width, int shortSide) {
        if (height <= width) return new int[] {shortSide, (int) ((long) shortSide * width / height)};
        return new int[] {(int) ((long) shortSide * height / width), shortSide};
    }

    /** The shorter side evaluation resizes to before the centre crop of {@code size}. */
    public static int evalShortSide(int size) { return (int) (size / EVAL_CROP_FRACTION); }

    /** torchvision's CenterCrop offsets: {@code int(round((h - S) / 2))}. */
    public static CropBox center(int height, int width, int size) {
        return new CropBox((int) Math.rint((height - size) / 2.0), (int) Math.rint((width - size) / 2.0), size, size);   // Python round: half to even
    }

    /** Evaluation view: resize the shorter side to {@code S/0.875}, cut the centre {@code S x S}. */
    public static RawImage evalView(RawImage src, int size) {
        int[] hw = resizedShape(src.height(), src.width(), evalShortSide(size));
        RawImage resized = Resample.resize(src, CropBox.whole(src), hw[0], hw[1]);
        return Resample.crop(resized, center(hw[0], hw[1], size));
    }

    /** Training view of {@code src} at position {@code position} of the epoch. */
    public static RawImage trainView(RawImage src, int size, long augSeed, long position, boolean flip) {
        Draw d = random(src.height(), src.width(), augSeed, position, flip);
        RawImage out = Resample.resize(src, d.box(), size, size);
        return d.flip() ? Resample.mirror(out) : out;
    }

    private static double unit(int word) { return (word & 0xFFFFFFFFL) / 4294967296.0; }

    /** Uniform in 0..bound-1 (torch.randint(0, bound)). */
    private static int below(int word, int bound) { return (int) (((word & 0xFFFFFFFFL) * bound) >>> 32); }
}
