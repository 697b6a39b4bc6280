package org.reaper.backend.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnHandle;

/** The JCuda calls of {@link CudaProbe}; every method may throw (LinkageError, CudaException). */
final class DriverChecks {
    record Device(String name, int major, int minor, int sms, long memoryBytes, String driverVersion, int count) {
        String describe() {
            return String.format("%s (sm_%d%d, %d SMs, %.1f GiB)", name, major, minor, sms, memoryBytes / (double) (1L << 30));
        }
    }

    private DriverChecks() {}

    static Device device() {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        int[] v = new int[1];
        JCudaDriver.cuDriverGetVersion(v);
        String driver = "CUDA driver API " + v[0] / 1000 + "." + (v[0] % 1000) / 10;
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        if (count[0] == 0) throw new IllegalStateException("the driver sees no CUDA device");
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, 0);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, dev);
        int len = 0;
        while (len < name.length && name[len] != 0) len++;
        long[] mem = new long[1];
        JCudaDriver.cuDeviceTotalMem(mem, dev);
        return new Device(new String(name, 0, len), attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR), attribute(dev, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                mem[0], driver, count[0]);
    }

    static int attribute(CUdevice dev, int attr) {
        int[] a = new int[1];
        JCudaDriver.cuDeviceGetAttribute(a, attr, dev);
        return a[0];
    }

    /** Loads every module on device 0's primary context (then releases it). */
    static void loadAllModules() {
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, 0);
        CUcontext ctx = new CUcontext();
        JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev);
        try {
            JCudaDriver.cuCtxSetCurrent(ctx);
            new CudaModules().close();
        } finally {
            JCudaDriver.cuDevicePrimaryCtxRelease(dev);
        }
    }

    static String cublas(boolean haveDevice) {
        JCublas2.setExceptionsEnabled(true);
        int[] major = new int[1], minor = new int[1], patch = new int[1];
        JCublas2.cublasGetProperty(0, major);
        JCublas2.cublasGetProperty(1, minor);
        JCublas2.cublasGetProperty(2, patch);
        String version = major[0] + "." + minor[0] + "." + patch[0];
        if (!haveDevice) return "loads (" + version + "), no device to create a handle on";
        cublasHandle h = new cublasHandle();
        JCublas2.cublasCreate(h);
        JCublas2.cublasDestroy(h);
        return "loads (" + version + "), handle created";
    }

    static String cudnn(boolean haveDevice) {
        long v = JCudnn.cudnnGetVersion();
        String version = v / 10000 + "." + (v % 10000) / 100 + "." + v % 100;
        if (!haveDevice) return "loads (" + version + "), no device to create a handle on";
        JCudnn.setExceptionsEnabled(false);
        cudnnHandle h = new cudnnHandle();
        int status = JCudnn.cudnnCreate(h);
        if (status != 0) return "loads (" + version + ") but cudnnCreate failed: " + JCudnn.cudnnGetErrorString(status);
        JCudnn.cudnnDestroy(h);
        return "loads (" + version + "), handle created";
    }
}
