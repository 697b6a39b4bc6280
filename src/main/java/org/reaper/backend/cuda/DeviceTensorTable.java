package org.reaper.backend.cuda;

import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * What a list kernel reads from device memory: the device pointers of a list of tensors and 64-bit integers per
 * entry (ends, flags). Kept between calls and uploaded only when its contents change: the pool hands a training
 * step the same blocks every step (the same {@link CUdeviceptr} objects), so in the steady state a list launch
 * uploads nothing. An upload is a copy on the legacy stream, ordered after the launches queued before it that
 * still read the old contents.
 */
final class DeviceTensorTable {
    private final Block pointers, longs;
    private CUdeviceptr[] heldPointers = new CUdeviceptr[0];
    private long[] heldLongs = new long[0];

    DeviceTensorTable(CudaMemoryPool pool) {
        this.pointers = new Block(pool);
        this.longs = new Block(pool);
    }

    /** Makes the device hold {@code ptrs} and {@code values} (uploading what differs from the last call). */
    void hold(CUdeviceptr[] ptrs, long[] values) {
        if (!sameObjects(ptrs, heldPointers)) {
            pointers.upload(Pointer.to(ptrs), ptrs.length);
            heldPointers = ptrs.clone();
        }
        if (!Arrays.equals(values, heldLongs)) {
            longs.upload(Pointer.to(values), values.length);
            heldLongs = values.clone();
        }
    }

    CUdeviceptr pointers() { return pointers.ptr; }
    CUdeviceptr longs() { return longs.ptr; }

    private static boolean sameObjects(CUdeviceptr[] a, CUdeviceptr[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    /** A pool block of 8-byte entries, replaced by a larger one when a list outgrows it. */
    private static final class Block {
        private final CudaMemoryPool pool;
        private CUdeviceptr ptr;
        private long bytes;

        Block(CudaMemoryPool pool) { this.pool = pool; }

        void upload(Pointer src, int entries) {
            long need = Math.max(Long.BYTES, (long) entries * Long.BYTES);
            if (ptr == null || need > bytes) {
                if (ptr != null) pool.give(ptr, bytes);
                ptr = pool.take(need);
                bytes = need;
            }
            if (entries > 0) JCudaDriver.cuMemcpyHtoD(ptr, src, (long) entries * Long.BYTES);
        }
    }
}
