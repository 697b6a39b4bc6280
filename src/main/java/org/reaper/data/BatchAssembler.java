package org.reaper.data;

/**
 * Fills batch arrays: copies each image's bytes, applies the crop/flip chosen by {@link AugmentDraw}
 * (padding reads as byte value 0, i.e. black, before normalisation) and normalises through a per-channel
 * lookup table. Images from {@link SourceImages} (or under a resized crop) are decoded, cropped and resized
 * by {@link ResizedCrop}. One instance per producing thread (it owns a scratch buffer).
 */
final class BatchAssembler {
    private final ImageDataset ds;
    private final Augmentation aug;
    private final float[][] lut;
    private final byte[] scratch;
    private final int c, h, w;

    BatchAssembler(ImageDataset ds, Augmentation aug, Normalization norm) {
        if (norm.channels() != ds.channels())
            throw new IllegalArgumentException("normalisation has " + norm.channels() + " channels, dataset " + ds.channels());
        this.ds = ds;
        this.aug = aug;
        this.lut = norm.lookupTables();
        this.scratch = new byte[ds.imageBytes()];
        this.c = ds.channels();
        this.h = ds.height();
        this.w = ds.width();
    }

    /** Fills {@code count} images, those at epoch positions {@code first..first+count-1} of {@code order}. */
    void fill(int[] order, int first, int count, long augSeed, float[] images, float[] labels) {
        int imageFloats = c * h * w;
        for (int k = 0; k < count; k++) {
            int i = order[first + k];
            labels[k] = ds.label(i);
            fillOne(i, first + k, augSeed, images, k * imageFloats);
        }
    }

    float label(int i) { return ds.label(i); }

    /** Image {@code i} of the dataset, at epoch position {@code position}, into {@code images} at {@code offset}. */
    void fillOne(int i, int position, long augSeed, float[] images, int offset) {
        if (ds.hasSourceImages() || aug.resizedCrop()) {
            RawImage src = ds.sourceImage(i);
            RawImage view = aug.resizedCrop() ? ResizedCrop.trainView(src, h, augSeed, position, aug.flip())
                    : ResizedCrop.evalView(src, h);
            normalise(view.pixels(), images, offset);
            return;
        }
        ds.copyImage(i, scratch, 0);
        writeImage(AugmentDraw.of(aug, augSeed, position), images, offset);
    }

    private void normalise(byte[] px, float[] out, int o) {
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            float[] table = lut[ch];
            for (int p = ch * plane, end = p + plane; p < end; p++) out[o++] = table[px[p] & 0xFF];
        }
    }

    private void writeImage(AugmentDraw d, float[] out, int o) {
        int pad = aug.pad(), plane = h * w;
        boolean identity = d.dx() == pad && d.dy() == pad && !d.flip();
        for (int ch = 0; ch < c; ch++) {
            float[] table = lut[ch];
            int base = ch * plane;
            if (identity) {
                for (int p = 0; p < plane; p++) out[o++] = table[scratch[base + p] & 0xFF];
                continue;
            }
            float zero = table[0];
            for (int y = 0; y < h; y++) {
                int sy = y + d.dy() - pad;
                if (sy < 0 || sy >= h) {
                    for (int x = 0; x < w; x++) out[o++] = zero;
                    continue;
                }
                int row = base + sy * w;
                for (int x = 0; x < w; x++) {
                    int sx = (d.flip() ? w - 1 - x : x) + d.dx() - pad;
                    out[o++] = sx < 0 || sx >= w ? zero : table[scratch[row + sx] & 0xFF];
                }
            }
        }
    }
}
