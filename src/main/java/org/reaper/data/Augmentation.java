package org.reaper.data;

/**
 * CIFAR training augmentation as torchvision's {@code RandomCrop(32, padding=pad)} followed by
 * {@code RandomHorizontalFlip()}: the image is padded with {@code pad} black (zero-byte) pixels on each
 * side, a window of the original size is cut at a uniformly random offset (0..2*pad in each axis), and
 * the result is mirrored left-right with probability 1/2.
 */
public record Augmentation(boolean randomCrop, int pad, boolean flip) {

    public static final Augmentation NONE = new Augmentation(false, 0, false);

    public Augmentation {
        if (pad < 0) throw new IllegalArgumentException("crop padding must be >= 0, got " + pad);
    }

    /** Pad-4 random crop and horizontal flip, the standard CIFAR recipe. */
    public static Augmentation standard() { return new Augmentation(true, 4, true); }

    public boolean isNone() { return !flip && (!randomCrop || pad == 0); }

    public String describe() {
        if (isNone()) return "none";
        String crop = randomCrop && pad > 0 ? "random crop (pad " + pad + ")" : "";
        return crop + (flip ? (crop.isEmpty() ? "" : " + ") + "horizontal flip" : "");
    }
}
