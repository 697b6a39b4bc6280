package org.reaper.tensor;

/**
 * A handle: a shape plus backend storage. No math lives here; every computation is a call on a
 * {@link org.reaper.backend.Backend}. Tensors are dense, contiguous, row-major float32.
 * A {@link #reshape reshaped} tensor is a view that shares storage and never releases it.
 */
public final class Tensor implements AutoCloseable {
    private final Shape shape;
    private final Storage storage;
    private final boolean view;

    public Tensor(Shape shape, Storage storage) { this(shape, storage, false); }

    private Tensor(Shape shape, Storage storage, boolean view) {
        if (storage.capacity() < shape.numel())
            throw new IllegalArgumentException("storage of " + storage.capacity() + " floats cannot hold shape " + shape);
        this.shape = shape;
        this.storage = storage;
        this.view = view;
    }

    public Shape shape() { return shape; }
    public Storage storage() { return storage; }
    public Device device() { return storage.device(); }
    public int numel() { return shape.numel(); }
    public int rank() { return shape.rank(); }
    public int dim(int i) { return shape.dim(i); }
    public boolean isView() { return view; }

    /** A view with another shape of the same element count, sharing this tensor's storage. */
    public Tensor reshape(Shape to) {
        if (to.numel() != shape.numel())
            throw new ShapeMismatchException("reshape", "cannot reshape " + shape + " to " + to + " (element counts differ)");
        return new Tensor(to, storage, true);
    }

    public Tensor reshape(int... dims) { return reshape(Shape.of(dims)); }

    /** Releases the storage (views release nothing). */
    @Override public void close() { if (!view) storage.release(); }

    @Override public String toString() { return "Tensor" + shape + "@" + device(); }
}
