package org.reaper.backend.cpu;

import org.reaper.tensor.Device;
import org.reaper.tensor.Storage;
import org.reaper.tensor.Tensor;

/** A float[] on the Java heap, handed back to its pool on release. */
final class CpuStorage implements Storage {
    final float[] data;
    private final CpuMemoryPool pool;
    private boolean released;

    CpuStorage(float[] data, CpuMemoryPool pool) { this.data = data; this.pool = pool; }

    @Override public int capacity() { return data.length; }
    @Override public Device device() { return Device.CPU; }

    @Override public synchronized void release() {
        if (released) return;
        released = true;
        if (pool != null) pool.give(data);
    }

    /** The array behind a CPU tensor (its first numel() elements are the tensor). */
    static float[] data(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s))
            throw new IllegalArgumentException("tensor on " + t.device() + " passed to the CPU backend");
        return s.data;
    }
}
