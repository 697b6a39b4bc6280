package org.reaper.tensor;

/**
 * Backend-specific memory holding {@code capacity()} float32 values. A storage is released to its
 * owner (a pool, or the device allocator) exactly once; using a tensor after release is a bug.
 */
public interface Storage {
    int capacity();
    Device device();
    /** Hands the memory back to whoever allocated it. Idempotent. */
    void release();
}
