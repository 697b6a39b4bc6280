package org.reaper.data;

/** One decoded image of any size: {@code channels} uint8 planes of {@code height x width}, row-major (CHW). */
public record RawImage(int channels, int height, int width, byte[] pixels) {
    public RawImage {
        if (channels <= 0 || height <= 0 || width <= 0 || (long) channels * height * width != pixels.length)
            throw new IllegalArgumentException(pixels.length + " bytes for a " + channels + "x" + height + "x" + width + " image");
    }

    public int at(int c, int y, int x) { return pixels[(c * height + y) * width + x] & 0xFF; }
}
