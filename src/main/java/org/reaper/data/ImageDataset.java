package org.reaper.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Labelled uint8 images in CHW layout (channel planes, each row-major), read in place from
 * memory-mapped files or from one byte array: pixels are never copied onto the heap as a whole.
 * A dataset may be a view (a {@link #subset}) of another; views share the parent's bytes.
 * Reading is thread-safe (only absolute buffer reads).
 *
 * <p>A dataset may instead stand on {@link SourceImages} of varying sizes (image files, a decoded cache): then
 * {@code height x width} is the model's input size, the loader decodes and crops each image on its decode
 * workers, and {@link #copyImage} gives the evaluation view (resize + centre crop).
 */
public final class ImageDataset {

    /** One run of fixed-size records: pixels of record r start at {@code r * recordBytes + pixelOffset}. */
    record Segment(ByteBuffer bytes, int records, int recordBytes, int pixelOffset) {}

    private final List<Segment> segments;
    private final int[] segmentStart;   // global index of each segment's first record, plus the total at the end
    private final int[] index;          // view -> global record index; null means identity
    private final int[] labels;         // label of each image of this view
    private final int channels, height, width, numClasses;
    private final String description;
    private final SourceImages source;  // null for fixed-size records
    private final int decodeWorkers;

    private ImageDataset(List<Segment> segments, int[] segmentStart, int[] index, int[] labels,
                         int channels, int height, int width, int numClasses, String description) {
        this(segments, segmentStart, index, labels, channels, height, width, numClasses, description, null, 1);
    }

    private ImageDataset(List<Segment> segments, int[] segmentStart, int[] index, int[] labels, int channels, int height,
                         int width, int numClasses, String description, SourceImages source, int decodeWorkers) {
        this.source = source;
        this.decodeWorkers = decodeWorkers;
        this.segments = segments;
        this.segmentStart = segmentStart;
        this.index = index;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.description = description;
    }

    /**
     * A dataset over record segments whose labels were already read and checked.
     * {@code labels} holds one label per record across all segments, in order.
     */
    static ImageDataset ofSegments(List<Segment> segments, int[] labels, int channels, int height, int width,
                                   int numClasses, String description) {
        int[] start = new int[segments.size() + 1];
        for (int s = 0; s < segments.size(); s++) {
            Segment seg = segments.get(s);
            if (seg.pixelOffset + channels * height * width > seg.recordBytes)
                throw new IllegalArgumentException("record of " + seg.recordBytes + " bytes cannot hold an image");
            start[s + 1] = Math.addExact(start[s], seg.records);
        }
        if (labels.length != start[segments.size()])
            throw new IllegalArgumentException(labels.length + " labels for " + start[segments.size()] + " records");
        return new ImageDataset(List.copyOf(segments), start, null, labels, channels, height, width, numClasses, description);
    }

    /**
     * A dataset over one byte array holding {@code labels.length} images of {@code channels*height*width}
     * bytes each, back to back (the array is used in place, not copied).
     */
    public static ImageDataset fromBytes(byte[] pixels, int[] labels, int channels, int height, int width,
                                         int numClasses, String description) {
        int imageBytes = channels * height * width;
        if ((long) imageBytes * labels.length != pixels.length)
            throw new IllegalArgumentException(pixels.length + " pixel bytes do not hold " + labels.length
                    + " images of " + channels + "x" + height + "x" + width);
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= numClasses)
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside 0.." + (numClasses - 1));
        Segment seg = new Segment(ByteBuffer.wrap(pixels), labels.length, imageBytes, 0);
        return ofSegments(List.of(seg), labels.clone(), channels, height, width, numClasses, description);
    }

    /**
     * RGB images of any size from {@code source}, served at {@code size x size}; {@code labels[i]} is the class of
     * source image i.
     */
    public static ImageDataset ofSource(SourceImages source, int[] labels, int size, int numClasses, String description) {
        if (labels.length != source.size())
            throw new IllegalArgumentException(labels.length + " labels for " + source.size() + " images");
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= numClasses)
                throw new IllegalArgumentException("label " + labels[i] + " of " + source.name(i) + " is outside 0.." + (numClasses - 1));
        if (size <= 0) throw new IllegalArgumentException("image size must be positive, got " + size);
        return new ImageDataset(List.of(), new int[] {0}, null, labels.clone(), 3, size, size, numClasses, description, source, 1);
    }

    /** The same images, decoded by {@code workers} threads in the loader (any count gives the same batches). */
    public ImageDataset withDecodeWorkers(int workers) {
        if (workers < 1) throw new IllegalArgumentException("decode workers must be >= 1, got " + workers);
        return new ImageDataset(segments, segmentStart, index, labels, channels, height, width, numClasses, description, source, workers);
    }

    public int decodeWorkers() { return decodeWorkers; }

    /** Whether images come from {@link SourceImages} (varying sizes, decoded per read). */
    public boolean hasSourceImages() { return source != null; }

    /** Image {@code i} as stored: the decoded source image, or the fixed-size record. */
    public RawImage sourceImage(int i) {
        if (source == null) {
            byte[] px = new byte[imageBytes()];
            copyImage(i, px, 0);
            return new RawImage(channels, height, width, px);
        }
        return source.read(index == null ? checkIndex(i) : index[checkIndex(i)]);
    }

    /** Image {@code i}'s file name (source images) or its index. */
    public String imageName(int i) {
        int global = index == null ? checkIndex(i) : index[checkIndex(i)];
        return source == null ? "image " + global + " of " + description : source.name(global);
    }

    public int size() { return labels.length; }
    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    public int imageBytes() { return channels * height * width; }
    public int numClasses() { return numClasses; }
    public String description() { return description; }

    public int label(int i) { return labels[checkIndex(i)]; }

    /** Copies image {@code i} ({@link #imageBytes()} bytes, CHW) into {@code dst} at {@code dstOffset}. */
    public void copyImage(int i, byte[] dst, int dstOffset) {
        if (source != null) {
            byte[] px = ResizedCrop.evalView(sourceImage(i), height).pixels();
            System.arraycopy(px, 0, dst, dstOffset, px.length);
            return;
        }
        int global = index == null ? checkIndex(i) : index[checkIndex(i)];
        int s = segmentOf(global);
        Segment seg = segments.get(s);
        int local = global - segmentStart[s];
        seg.bytes.get(local * seg.recordBytes + seg.pixelOffset, dst, dstOffset, imageBytes());
    }

    /** A view of the images at {@code indices} (in that order; repeats allowed), sharing this dataset's bytes. */
    public ImageDataset subset(int[] indices, String description) {
        int[] global = new int[indices.length];
        int[] subLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size())
                throw new IndexOutOfBoundsException("subset index " + i + " outside 0.." + (size() - 1) + " of " + this.description);
            global[k] = index == null ? i : index[i];
            subLabels[k] = labels[i];
        }
        return new ImageDataset(segments, segmentStart, global, subLabels, channels, height, width, numClasses, description,
                source, decodeWorkers);
    }

    /** How many images carry each label (length {@link #numClasses()}). */
    public int[] labelCounts() {
        int[] counts = new int[numClasses];
        for (int l : labels) counts[l]++;
        return counts;
    }

    @Override public String toString() { return description; }

    /** "5,085" - the number formatting used in descriptions and messages. */
    static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    private int checkIndex(int i) {
        if (i < 0 || i >= labels.length)
            throw new IndexOutOfBoundsException("image " + i + " outside 0.." + (labels.length - 1) + " of " + description);
        return i;
    }

    private int segmentOf(int global) {
        if (segments.size() == 1) return 0;
        int s = Arrays.binarySearch(segmentStart, global);
        if (s >= 0) {
            while (s + 1 < segmentStart.length && segmentStart[s + 1] == global) s++; // skip empty segments
            return s;
        }
        return -s - 2;
    }
}
