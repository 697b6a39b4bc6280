package org.reaper.backend.cuda;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.reaper.ReaperException;
import org.reaper.tensor.Tensor;

/**
 * Launches kernels on the backend's stream. Arguments are marshalled by type: a {@link Tensor}
 * becomes its device pointer (null becomes a null pointer), Integer / Float / Long / Double the
 * matching C scalar, an int[] a by-value struct of ints (ConvDims, PoolDims), a CUdeviceptr itself.
 * On the CPU stand-in every launch's packing is also checked against the kernel's C signature.
 * A failed launch names the kernel; an error that surfaces later (kernels run asynchronously on a
 * GPU) names the last kernels launched, and {@code -Dreaper.cuda.sync=true} synchronizes after
 * every launch to pin it on one.
 */
final class CudaLauncher {
    static final int BLOCK = 256;
    private static final CUdeviceptr NULL = new CUdeviceptr();
    private static final int RECENT = 4;

    private final CudaContext ctx;
    private final CudaModules modules;
    private final int maxGridStrideBlocks;
    private final boolean emulated = CudaEmulator.loaded();
    private final boolean syncEveryLaunch = Boolean.getBoolean("reaper.cuda.sync");
    private final String[] signatures = new String[CudaKernels.values().length];
    private final Deque<String> recent = new ArrayDeque<>();
    private final AtomicLong launches = new AtomicLong();

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
        if (emulated) checkSignature(k, args);
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) params[i] = marshal(args[i]);
        remember(k);
        launches.incrementAndGet();
        try {
            JCudaDriver.cuLaunchKernel(modules.function(k), gridX, gridY, gridZ, block, 1, 1, 0, ctx.stream,
                    Pointer.to(params), null);
            if (syncEveryLaunch) JCudaDriver.cuStreamSynchronize(ctx.stream);
        } catch (CudaException e) {
            throw new ReaperException(CudaFailure.describe(String.format("CUDA kernel %s (grid %d x %d x %d, block %d) failed",
                    k.symbol(), gridX, gridY, gridZ, block), e), e);
        }
    }

    /** Kernels launched so far (ours; cuBLAS and cuDNN launch their own, not counted here). */
    long launches() { return launches.get(); }

    /** The kernels launched last, oldest first: where to look when an error surfaces at a later call. */
    synchronized String recentKernels() { return String.join(", ", recent); }

    private synchronized void remember(CudaKernels k) {
        if (recent.size() == RECENT) recent.removeFirst();
        recent.addLast(k.symbol());
    }

    private void checkSignature(CudaKernels k, Object[] args) {
        String want = signatures[k.ordinal()];
        if (want == null) {
            want = CudaEmulator.kernelSignature(k.symbol());
            if (want == null) throw new ReaperException("kernel " + k.symbol() + " is not in the CUDA stand-in; rebuild it (mvn package)");
            signatures[k.ordinal()] = want;
        }
        StringBuilder got = new StringBuilder();
        for (Object a : args) got.append(got.length() == 0 ? "" : ",").append(code(a));
        if (!want.contentEquals(got))
            throw new IllegalStateException("kernel " + k.symbol() + " takes (" + want + ") but the launcher packed (" + got + ")");
    }

    /** The stand-in's parameter code of a launch argument (see CudaEmulator.kernelSignature). */
    static String code(Object a) {
        if (a == null || a instanceof Tensor || a instanceof CUdeviceptr) return "p";
        if (a instanceof Integer) return "i";
        if (a instanceof Float) return "f";
        if (a instanceof Long) return "l";
        if (a instanceof Double) return "d";
        if (a instanceof int[] v) return "s" + v.length * Integer.BYTES;
        return "?" + a.getClass().getSimpleName();
    }

    static Pointer marshal(Object a) {
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
