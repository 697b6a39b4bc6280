package org.reaper.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * The stand-in's self-test kernels (native-kernels/host/test-kernels/emu_selftest.cu), loaded from
 * their nvcc fatbin when it was built (then static shared memory sizes come from the cubins), else
 * as a host module; launched with raw driver calls so tests control every launch parameter.
 */
final class EmulatorKernels implements AutoCloseable {
    static final String FATBIN = "/native-kernels-test/emu_selftest.fatbin";

    private final CudaBackend backend;
    private final CUmodule module = new CUmodule();
    final boolean fromFatbin;

    EmulatorKernels(CudaBackend backend) {
        this.backend = backend;
        backend.makeCurrent();
        byte[] image;
        try (InputStream in = EmulatorKernels.class.getResourceAsStream(FATBIN)) {
            fromFatbin = in != null;
            image = in != null ? in.readAllBytes() : hostModule();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JCudaDriver.cuModuleLoadData(module, image);
    }

    private static byte[] hostModule() {
        StringBuilder sb = new StringBuilder("reaper-host-module\n");
        Arrays.stream(CudaEmulator.kernelNames()).filter(n -> n.startsWith("emu_")).forEach(n -> sb.append(n).append('\n'));
        return (sb + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    CUfunction function(String name) {
        CUfunction f = new CUfunction();
        JCudaDriver.cuModuleGetFunction(f, module, name);
        return f;
    }

    /** Launches; returns normally or throws jcuda.CudaException (the stand-in's detail is in CudaEmulator.lastErrorDetail()). */
    void launch(String name, int gridX, int gridY, int blockX, int sharedMem, Object... args) {
        backend.makeCurrent();
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) params[i] = args[i] instanceof long[] l ? Pointer.to(l) : CudaLauncher.marshal(args[i]);
        JCudaDriver.cuLaunchKernel(function(name), gridX, gridY, 1, blockX, 1, 1, sharedMem, null, Pointer.to(params), null);
    }

    @Override public void close() { JCudaDriver.cuModuleUnload(module); }
}
