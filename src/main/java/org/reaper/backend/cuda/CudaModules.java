package org.reaper.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import org.reaper.ReaperException;

/** Loads every fatbin resource into the current context and resolves each {@link CudaKernels} entry once. */
final class CudaModules implements AutoCloseable {
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final CUfunction[] functions = new CUfunction[CudaKernels.values().length];

    CudaModules() {
        try {
            for (CudaKernels k : CudaKernels.values()) {
                CUmodule m = modules.computeIfAbsent(k.module(), name -> load(k.resource()));
                CUfunction f = new CUfunction();
                JCudaDriver.cuModuleGetFunction(f, m, k.symbol());
                functions[k.ordinal()] = f;
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    CUfunction function(CudaKernels k) { return functions[k.ordinal()]; }

    private static CUmodule load(String resource) {
        byte[] image;
        try (InputStream in = CudaModules.class.getResourceAsStream(resource)) {
            if (in == null) throw new ReaperException("CUDA kernel module " + resource + " is missing from the jar; rebuild with nvcc on the PATH");
            image = in.readAllBytes();
        } catch (IOException e) {
            throw new ReaperException("cannot read CUDA kernel module " + resource + ": " + e.getMessage(), e);
        }
        CUmodule m = new CUmodule();
        JCudaDriver.cuModuleLoadData(m, image);
        return m;
    }

    @Override public void close() {
        for (CUmodule m : modules.values()) {
            try { JCudaDriver.cuModuleUnload(m); } catch (RuntimeException ignored) { /* context already gone */ }
        }
        modules.clear();
    }
}
