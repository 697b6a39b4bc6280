package org.reaper.data.cache;

import org.reaper.ReaperException;
import org.reaper.data.RawImage;
import org.reaper.data.SourceImages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One split of a decoded cache, memory-mapped: reading an image is a copy, never a decode. */
public final class CachedImages implements SourceImages {
    private static final long WINDOW = 1L << 30;   // mappings of 1 GiB (+ the largest image, so none straddles two)
    private final long[] offset;
    private final int[] height, width, label;
    private final MappedByteBuffer[] windows;
    private final String split;

    private CachedImages(long[] offset, int[] height, int[] width, int[] label, MappedByteBuffer[] windows, String split) {
        this.offset = offset;
        this.height = height;
        this.width = width;
        this.label = label;
        this.windows = windows;
        this.split = split;
    }

    public static CachedImages open(Path dir, String split) {
        CacheMeta meta = CacheMeta.read(dir);
        if (!meta.complete())
            throw new ReaperException("the decoded cache " + dir + " is unfinished: run 'reaper prepare' again with the same options to complete it");
        Path idx = CacheFormat.index(dir, split), px = CacheFormat.pixels(dir, split);
        try (FileChannel ic = FileChannel.open(idx, StandardOpenOption.READ); FileChannel pc = FileChannel.open(px, StandardOpenOption.READ)) {
            int n = Math.toIntExact(ic.size() / CacheFormat.RECORD);
            ByteBuffer b = ic.map(FileChannel.MapMode.READ_ONLY, 0, (long) n * CacheFormat.RECORD).order(ByteOrder.LITTLE_ENDIAN);
            long[] off = new long[n];
            int[] h = new int[n], w = new int[n], l = new int[n];
            long largest = 0, size = pc.size();
            for (int i = 0; i < n; i++) {
                int r = i * CacheFormat.RECORD;
                off[i] = b.getLong(r);
                h[i] = b.getInt(r + 8);
                w[i] = b.getInt(r + 12);
                l[i] = b.getInt(r + 16);
                long bytes = 3L * h[i] * w[i];
                if (off[i] < 0 || h[i] <= 0 || w[i] <= 0 || off[i] + bytes > size)
                    throw new ReaperException(idx + ": record " + i + " points outside " + px.getFileName() + " (the cache is damaged: prepare it again)");
                largest = Math.max(largest, bytes);
            }
            MappedByteBuffer[] windows = new MappedByteBuffer[(int) ((size + WINDOW - 1) / WINDOW)];
            for (int k = 0; k < windows.length; k++) {
                long start = k * WINDOW;
                windows[k] = pc.map(FileChannel.MapMode.READ_ONLY, start, Math.min(size - start, WINDOW + largest));
            }
            return new CachedImages(off, h, w, l, windows, split);
        } catch (IOException e) {
            throw new ReaperException("cannot open the " + split + " split of the decoded cache " + dir + ": " + e.getMessage());
        }
    }

    @Override public int size() { return offset.length; }

    @Override public RawImage read(int i) {
        byte[] px = new byte[3 * height[i] * width[i]];
        int k = (int) (offset[i] / WINDOW);
        windows[k].get((int) (offset[i] - k * WINDOW), px);
        return new RawImage(3, height[i], width[i], px);
    }

    @Override public String name(int i) { return split + " image " + i + " of the decoded cache"; }

    public int[] labels() { return label.clone(); }
}
