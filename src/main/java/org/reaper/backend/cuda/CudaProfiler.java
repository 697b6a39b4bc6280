package org.reaper.backend.cuda;

import jcuda.driver.JCudaDriver;

/**
 * Brackets a window of training steps with cuProfilerStart / cuProfilerStop so that
 * {@code nsys profile --capture-range=cudaProfilerApi} and {@code ncu --profile-from-start off}
 * capture just that window. Call from the thread that runs the backend (its context is current
 * there). Never throws: without CUDA it does nothing and returns false.
 */
public final class CudaProfiler {
    private CudaProfiler() {}

    public static boolean start() {
        if (!CudaProbe.get().usable()) return false;
        try {
            JCudaDriver.cuProfilerStart();
            return true;
        } catch (LinkageError | RuntimeException e) {
            System.err.println("cuda profiler: cannot start (" + CudaProbe.oneLine(e) + ")");
            return false;
        }
    }

    public static boolean stop() {
        if (!CudaProbe.get().usable()) return false;
        try {
            JCudaDriver.cuProfilerStop();
            return true;
        } catch (LinkageError | RuntimeException e) {
            System.err.println("cuda profiler: cannot stop (" + CudaProbe.oneLine(e) + ")");
            return false;
        }
    }
}
