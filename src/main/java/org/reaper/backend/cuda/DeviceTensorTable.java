package org.reaper.backend.cuda;

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
    private final CudaMemoryPool pool;
    private CUdeviceptr[] heldPointers = new CUdeviceptr[0];
    private long[] heldLongs = new long[0];
    private CUdeviceptr pointerBlock, longBlock;
    private long pointerBytes, longBytes;

    DeviceTensorTable(CudaMemoryPool pool) { this.pool = pool; }

    /** Makes the device hold {@code pointers} and {@code longs} (uploading what differs from the last call). */
    void hold(CUdeviceptr[] pointers, long[] longs) {
        if (!sameObjects(pointers, heldPointers)) {
            long need = Math.max(Long.BYTES, (long) pointers.length * Long.BYTES);
            if (pointerBlock == null || need > pointerBytes) { pointerBlock = replace(pointerBlock, pointerBytes, need); pointerBytes = need; }
            if (pointers.length > 0) JCudaDriver.cuMemcpyHtoD(pointerBlock, Pointer.to(pointers), (long) pointers.length * Long.BYTES);
            heldPointers = pointers.clone();
        }
        if (!java.util.Arrays.equals(longs, heldLongs)) {
            long need = Math.max(Long.BYTES, (long) longs.length * Long.BYTES);
            if (longBlock == null || need > longBytes) { longBlock = replace(longBlock, longBytes, need); longBytes = need; }
            if (longs.length > 0) JCudaDriver.cuMemcpyHtoD(longBlock, Pointer.to(longs), (long) longs.length * Long.BYTES);
            heldLongs = longs.clone();
        }
    }

    CUdeviceptr pointers() { return pointerBlock; }
    CUdeviceptr longs() { return longBlock; }

    /** A block of {@code need} bytes from the pool in place of {@code block} (of {@code have} bytes; null at first). */
    private CUdeviceptr replace(CUdeviceptr block, long have, long need) {
        if (block != null) pool.give(block, have);
        return pool.take(need);
    }

    private static boolean sameObjects(CUdeviceptr[] a, CUdeviceptr[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
        return true;
    }
}
