package org.reaper.backend.cuda;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Device 0's primary context (shared with cuBLAS / cuDNN, which use the runtime API) and the one
 * stream all of Reaper's work goes to. The stream is a blocking stream, so the synchronous copies
 * on the legacy default stream ({@code cuMemcpyHtoD/DtoH}) are ordered after queued kernels.
 */
final class CudaContext implements AutoCloseable {
    private static final ThreadLocal<CUcontext> CURRENT = new ThreadLocal<>();

    final CUdevice device = new CUdevice();
    final CUcontext context = new CUcontext();
    final CUstream stream = new CUstream();
    final int multiprocessors;
    final String deviceName;
    private boolean closed;

    CudaContext(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        JCudaDriver.cuDeviceGet(device, ordinal);
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        byte[] name = new byte[256];
        try {
            makeCurrent();
            JCudaDriver.cuStreamCreate(stream, 0);
            multiprocessors = DriverChecks.attribute(device, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            JCudaDriver.cuDeviceGetName(name, name.length, device);
        } catch (RuntimeException e) {
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
            CURRENT.remove();
            throw e;
        }
        int len = 0;
        while (len < name.length && name[len] != 0) len++;
        deviceName = new String(name, 0, len);
    }

    /** Binds the context to the calling thread (cheap after the first call on a thread). */
    void makeCurrent() {
        if (CURRENT.get() != context) {
            JCudaDriver.cuCtxSetCurrent(context);
            CURRENT.set(context);
        }
    }

    void synchronize() {
        makeCurrent();
        JCudaDriver.cuStreamSynchronize(stream);
    }

    boolean isClosed() { return closed; }

    @Override public void close() {
        if (closed) return;
        closed = true;
        makeCurrent();
        JCudaDriver.cuStreamSynchronize(stream);
        JCudaDriver.cuStreamDestroy(stream);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
        CURRENT.remove();
    }
}
