package org.reaper.data;

/** A window of a source image in pixels: rows {@code top..top+height-1}, columns {@code left..left+width-1}. */
public record CropBox(int top, int left, int height, int width) {
    public static CropBox whole(RawImage img) { return new CropBox(0, 0, img.height(), img.width()); }
}
