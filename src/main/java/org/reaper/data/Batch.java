package org.reaper.data;

/**
 * One mini-batch: {@code images} holds {@code size} normalised images in NCHW order
 * ({@code images.length == size * C * H * W}), {@code labels} the class of each as a float.
 * Batches handed out by {@link BatchLoader} reuse their arrays: a batch is valid until the next
 * call to {@code next()} on the iterator that returned it (copy it to keep it longer).
 */
public record Batch(float[] images, float[] labels, int size) {
    public Batch {
        if (size <= 0 || labels.length != size || images.length % size != 0)
            throw new IllegalArgumentException("batch of " + size + " with " + images.length + " image values and "
                    + labels.length + " labels");
    }
}
