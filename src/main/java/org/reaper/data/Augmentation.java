package org.reaper.data;

/**
 * Training augmentation. CIFAR: torchvision's {@code RandomCrop(32, padding=pad)} followed by
 * {@code RandomHorizontalFlip()}: the image is padded with {@code pad} black (zero-byte) pixels on each
 * side, a window of the original size is cut at a uniformly random offset (0..2*pad in each axis), and
 * the result is mirrored left-right with probability 1/2. ImageNet ({@code resizedCrop}): torchvision's
 * {@code RandomResizedCrop(S)} + {@code RandomHorizontalFlip()}, see {@link ResizedCrop}.
 */
public record Augmentation(boolean randomCrop, int pad, boolean flip, boolean resizedCrop) {

    public static final Augmentation NONE = new Augmentation(false, 0, false);

    public Augmentation {
        if (pad < 0) throw new IllegalArgumentException("crop padding must be >= 0, got " + pad);
        if (resizedCrop && randomCrop) throw new IllegalArgumentException("a random resized crop excludes the padded random crop");
    }

    public Augmentation(boolean randomCrop, int pad, boolean flip) { this(randomCrop, pad, flip, false); }

    /** Pad-4 random crop and horizontal flip, the standard CIFAR recipe. */
    public static Augmentation standard() { return new Augmentation(true, 4, true); }

    /** RandomResizedCrop (scale 0.08-1, ratio 3/4-4/3) and horizontal flip, the standard ImageNet recipe. */
    public static Augmentation imagenet() { return new Augmentation(false, 0, true, true); }

    public boolean isNone() { return !flip && !resizedCrop && (!randomCrop || pad == 0); }

    public String describe() {
        if (isNone()) return "none";
        String crop = resizedCrop ? "random resized crop (scale 0.08-1, ratio 3/4-4/3)"
                : randomCrop && pad > 0 ? "random crop (pad " + pad + ")" : "";
        return crop + (flip ? (crop.isEmpty() ? "" : " + ") + "horizontal flip" : "");
    }
}
