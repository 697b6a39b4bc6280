package org.reaper.data;

/**
 * Images of varying sizes, read one at a time (image files, a decoded cache): the source behind an
 * {@link ImageDataset} whose images are resized and cropped to the model's input size by the loader.
 * Reading must be thread-safe: the loader's decode workers call {@link #read} concurrently.
 */
public interface SourceImages {
    int size();

    /** Image {@code i}, RGB; a file that cannot be decoded throws a ReaperException naming it. */
    RawImage read(int i);

    /** What to call image {@code i} in a message (its file name). */
    String name(int i);
}
