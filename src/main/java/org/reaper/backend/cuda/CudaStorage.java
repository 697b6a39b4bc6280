package org.reaper.backend.cuda;

import jcuda.driver.CUdeviceptr;
import org.reaper.tensor.Device;
import org.reaper.tensor.Storage;
import org.reaper.tensor.Tensor;

/** A block of device memory from the backend's pool, handed back on release. */
final class CudaStorage implements Storage {
    final CUdeviceptr ptr;
    private final int capacity;
    private final Device device;
    private final CudaMemoryPool pool;
    private boolean released;

    CudaStorage(CudaMemoryPool pool, int floats, Device device) {
        this.pool = pool;
        this.capacity = floats;
        this.device = device;
        this.ptr = pool.take((long) Math.max(1, floats) * Float.BYTES);
    }

    @Override public int capacity() { return capacity; }
    @Override public Device device() { return device; }

    @Override public synchronized void release() {
        if (released) return;
        released = true;
        pool.give(ptr, (long) Math.max(1, capacity) * Float.BYTES);
    }

    /** The device pointer behind a CUDA tensor. */
    static CUdeviceptr ptr(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s))
            throw new IllegalArgumentException("tensor on " + t.device() + " passed to the CUDA backend");
        if (s.released) throw new IllegalStateException("tensor " + t.shape() + " used after its storage was released");
        return s.ptr;
    }
}
