package org.reaper.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * A temporary device buffer from the pool (split-k partial sums, Gram matrices, reduction
 * partials). Closing hands it back; since all work is on one stream, that is safe right after
 * the launches that use it are queued.
 */
final class DeviceScratch implements AutoCloseable {
    final CUdeviceptr ptr;
    private final CudaMemoryPool pool;
    private final long bytes;
    private boolean closed;

    DeviceScratch(CudaMemoryPool pool, long bytes) {
        this.pool = pool;
        this.bytes = Math.max(1, bytes);
        this.ptr = pool.take(this.bytes);
    }

    double downloadDouble(long index) {
        double[] out = new double[1];
        JCudaDriver.cuMemcpyDtoH(Pointer.to(out), ptr.withByteOffset(index * Double.BYTES), Double.BYTES);
        return out[0];
    }

    /** A scratch buffer holding {@code values} (index lists: a few bytes per filter). */
    static DeviceScratch ofInts(CudaMemoryPool pool, int[] values) {
        DeviceScratch s = new DeviceScratch(pool, (long) Math.max(1, values.length) * Integer.BYTES);
        if (values.length > 0) JCudaDriver.cuMemcpyHtoD(s.ptr, Pointer.to(values), (long) values.length * Integer.BYTES);
        return s;
    }

    int[] downloadInts(int n) {
        int[] out = new int[n];
        if (n > 0) JCudaDriver.cuMemcpyDtoH(Pointer.to(out), ptr, (long) n * Integer.BYTES);
        return out;
    }

    double[] downloadDoubles(int n) {
        double[] out = new double[n];
        if (n > 0) JCudaDriver.cuMemcpyDtoH(Pointer.to(out), ptr, (long) n * Double.BYTES);
        return out;
    }

    int downloadInt(long index) {
        int[] out = new int[1];
        JCudaDriver.cuMemcpyDtoH(Pointer.to(out), ptr.withByteOffset(index * Integer.BYTES), Integer.BYTES);
        return out[0];
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        pool.give(ptr, bytes);
    }
}
