package org.reaper.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.reaper.tensor.Tensor;

/**
 * Launches kernels on the backend's stream. Arguments are marshalled by type: a {@link Tensor}
 * becomes its device pointer (null becomes a null pointer), Integer / Float / Long / Double the
 * matching C scalar, an int[] a by-value struct of ints (ConvDims, PoolDims), a CUdeviceptr itself.
 */
final class CudaLauncher {
    static final int BLOCK = 256;
    private static final CUdeviceptr NULL = new CUdeviceptr();

    private final CudaContext ctx;
    private final CudaModules modules;
    private final int maxGridStrideBlocks;

    CudaLauncher(CudaContext ctx, CudaModules modules) {
        this.ctx = ctx;
        this.modules = modules;
        this.maxGridStrideBlocks = Math.max(1, ctx.multiprocessors) * 32;
    }

    CudaContext context() { return ctx; }

    /** A grid-stride kernel over n elements: enough blocks to fill the GPU, at most one per 256 elements. */
    void launchElements(CudaKernels k, long n, Object... args) {
        if (n <= 0) return;
        long blocks = Math.min((n + BLOCK - 1) / BLOCK, maxGridStrideBlocks);
        launch(k, (int) blocks, 1, 1, BLOCK, args);
    }

    void launch(CudaKernels k, int gridX, int gridY, int gridZ, int block, Object... args) {
        if (gridX <= 0 || gridY <= 0 || gridZ <= 0) return;
        ctx.makeCurrent();
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) params[i] = marshal(args[i]);
        JCudaDriver.cuLaunchKernel(modules.function(k), gridX, gridY, gridZ, block, 1, 1, 0, ctx.stream,
                Pointer.to(params), null);
    }

    private static Pointer marshal(Object a) {
        if (a == null) return Pointer.to(NULL);
        if (a instanceof Tensor t) return Pointer.to(CudaStorage.ptr(t));
        if (a instanceof CUdeviceptr p) return Pointer.to(p);
        if (a instanceof Integer v) return Pointer.to(new int[] {v});
        if (a instanceof Float v) return Pointer.to(new float[] {v});
        if (a instanceof Long v) return Pointer.to(new long[] {v});
        if (a instanceof Double v) return Pointer.to(new double[] {v});
        if (a instanceof int[] v) return Pointer.to(v);
        throw new IllegalArgumentException("cannot pass a " + a.getClass().getSimpleName() + " to a kernel");
    }

    static int blocksFor(long n, int per) { return (int) ((n + per - 1) / per); }
}
