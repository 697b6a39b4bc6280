package org.reaper.backend.cuda;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import jcuda.CudaException;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.reaper.ReaperException;

/**
 * A caching device allocator: blocks are rounded up to a size class (multiples of a quarter of
 * the next lower power of two, so at most 25% is wasted) and returned blocks wait on a free list
 * of their class. A training step asks for the same sizes every time, so after the first step no
 * cuMemAlloc happens. All work runs on one stream, so a block handed back can be reused by the
 * next kernel at once. On out-of-memory the cache is freed and the allocation retried. On the CPU
 * stand-in blocks are exact-sized (no size classes), so that a kernel reading or writing past a
 * tensor reaches the stand-in's guard page instead of a size class's slack.
 */
final class CudaMemoryPool implements AutoCloseable {
    static final long MIN_BLOCK = 512;

    private final CudaContext ctx;
    private final Map<Long, ArrayDeque<CUdeviceptr>> free = new HashMap<>();
    private final Set<CUdeviceptr> allocated = Collections.newSetFromMap(new IdentityHashMap<>());
    private long bytesInUse, bytesCached, deviceAllocations;
    private boolean closed;

    private final boolean exactSizes;

    CudaMemoryPool(CudaContext ctx) { this(ctx, CudaEmulator.loaded()); }

    CudaMemoryPool(CudaContext ctx, boolean exactSizes) {
        this.ctx = ctx;
        this.exactSizes = exactSizes;
    }

    private long classOf(long bytes) { return exactSizes ? Math.max(Float.BYTES, bytes) : sizeClass(bytes); }

    /** The size class of a request of {@code bytes}. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_BLOCK) return MIN_BLOCK;
        long step = Long.highestOneBit(bytes - 1) / 4;
        return (bytes + step - 1) / step * step;
    }

    synchronized CUdeviceptr take(long bytes) {
        if (closed) throw new IllegalStateException("the CUDA backend is closed");
        long size = classOf(bytes);
        ArrayDeque<CUdeviceptr> q = free.get(size);
        CUdeviceptr p;
        if (q != null && !q.isEmpty()) {
            p = q.pop();
            bytesCached -= size;
        } else {
            p = allocate(size);
        }
        bytesInUse += size;
        return p;
    }

    synchronized void give(CUdeviceptr p, long bytes) {
        long size = classOf(bytes);
        bytesInUse -= size;
        if (closed) return;                       // memory went with the context
        free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(p);
        bytesCached += size;
    }

    private CUdeviceptr allocate(long size) {
        ctx.makeCurrent();
        CUdeviceptr p = new CUdeviceptr();
        try {
            JCudaDriver.cuMemAlloc(p, size);
        } catch (CudaException e) {
            // Only out-of-memory is worth a retry; any other error is an earlier failure (a kernel fault
            // is sticky on a GPU) and must be reported as what it is, not as a full device.
            if (!CudaFailure.outOfMemory(e)) throw new ReaperException(CudaFailure.describe("CUDA error while allocating device memory", e), e);
            trim();
            try {
                JCudaDriver.cuMemAlloc(p, size);
            } catch (CudaException again) {
                if (!CudaFailure.outOfMemory(again)) throw new ReaperException(CudaFailure.describe("CUDA error while allocating device memory", again), again);
                throw new ReaperException(String.format(java.util.Locale.ROOT,
                        "CUDA out of memory allocating %.2f MiB (%.2f MiB in use by tensors, %.2f MiB on the device); use a smaller --batch%s",
                        size / 1048576.0, bytesInUse / 1048576.0, deviceBytes() / 1048576.0,
                        CudaEmulator.loaded() ? " or emulate a larger device (REAPER_EMU_MEMORY=16G)" : ""), again);
            }
        }
        deviceAllocations++;
        allocated.add(p);
        return p;
    }

    private static long deviceBytes() {
        long[] free = new long[1], total = new long[1];
        try {
            JCudaDriver.cuMemGetInfo(free, total);
            return total[0];
        } catch (CudaException e) {
            return 0;
        }
    }

    /** Frees every cached block (waits for the stream first). */
    synchronized void trim() {
        ctx.synchronize();
        for (ArrayDeque<CUdeviceptr> q : free.values())
            for (CUdeviceptr p : q) { JCudaDriver.cuMemFree(p); allocated.remove(p); }
        free.clear();
        bytesCached = 0;
    }

    synchronized long bytesInUse() { return bytesInUse; }
    synchronized long bytesCached() { return bytesCached; }
    /** cuMemAlloc calls so far (constant in the steady state). */
    synchronized long deviceAllocations() { return deviceAllocations; }

    /** Frees everything, including blocks still held by unclosed tensors (they must not be used again). */
    @Override public synchronized void close() {
        if (closed) return;
        trim();
        for (CUdeviceptr p : allocated) JCudaDriver.cuMemFree(p);
        allocated.clear();
        closed = true;
    }
}
