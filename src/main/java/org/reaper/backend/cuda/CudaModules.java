package org.reaper.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import jcuda.CudaException;
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
                CUmodule m = modules.computeIfAbsent(k.module(), name -> load(name, k.resource()));
                CUfunction f = new CUfunction();
                try {
                    JCudaDriver.cuModuleGetFunction(f, m, k.symbol());
                } catch (CudaException e) {
                    throw new ReaperException(CudaFailure.describe("CUDA kernel " + k.symbol() + " of module " + k.module() + " cannot be resolved", e), e);
                }
                functions[k.ordinal()] = f;
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    CUfunction function(CudaKernels k) { return functions[k.ordinal()]; }

    private static CUmodule load(String module, String resource) {
        byte[] image;
        try (InputStream in = CudaModules.class.getResourceAsStream(resource)) {
            if (in == null && CudaEmulator.loaded()) image = hostModuleImage(module);
            else if (in == null) throw new ReaperException("CUDA kernel module " + resource + " is missing from the jar; rebuild with nvcc on the PATH");
            else image = in.readAllBytes();
        } catch (IOException e) {
            throw new ReaperException("cannot read CUDA kernel module " + resource + ": " + e.getMessage(), e);
        }
        CUmodule m = new CUmodule();
        try {
            JCudaDriver.cuModuleLoadData(m, image);
        } catch (CudaException e) {
            throw new ReaperException(CudaFailure.describe("CUDA kernel module " + resource + " does not load", e), e);
        }
        return m;
    }

    /**
     * Without nvcc there are no fatbins; the stand-in then takes a host module naming the kernels it
     * compiled from the same sources (NUL-terminated, as cuModuleLoadData reads images).
     */
    static byte[] hostModuleImage(String module) {
        StringBuilder sb = new StringBuilder("reaper-host-module\n");
        for (CudaKernels k : CudaKernels.values()) if (k.module().equals(module)) sb.append(k.symbol()).append('\n');
        return (sb + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    @Override public void close() {
        for (CUmodule m : modules.values()) {
            try { JCudaDriver.cuModuleUnload(m); } catch (RuntimeException ignored) { /* context already gone */ }
        }
        modules.clear();
    }
}
