package org.reaper.backend.cuda;

import org.reaper.backend.ConvGeometry;
import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/**
 * Implicit-GEMM convolutions. The filter gradient reduces over batch x pixels (a long k), so it
 * is split over k into deterministic partial sums that {@code split_k_reduce} adds in order.
 */
final class CudaConv {
    private static final int TILE = 64, TILE_K = 16;

    private final CudaLauncher l;
    private final CudaMemoryPool pool;
    private final int multiprocessors;
    private final CudnnConv cudnn;                        // null where cuDNN did not load
    private final ProviderChoice<Key> choice;

    /** What the provider choice is made for: a direction of one geometry. */
    record Key(String direction, ConvGeometry geometry) {}

    CudaConv(CudaLauncher l, CudaMemoryPool pool, CudnnConv cudnn, ProviderChoice<Key> choice) {
        this.l = l;
        this.pool = pool;
        this.multiprocessors = Math.max(1, l.context().multiprocessors);
        this.cudnn = cudnn;
        this.choice = choice;
    }

    ProviderChoice<Key> choice() { return choice; }

    /** Reaper's kernel, and cuDNN's where it loaded; the faster one per geometry and direction (see ProviderChoice). */
    private void dispatch(String direction, ConvGeometry g, Runnable own, Runnable viaCudnn) {
        choice.run(new Key(direction, g), own, "cudnn", cudnn == null ? null : viaCudnn);
    }

    /** The ConvDims struct of conv.cu. */
    static int[] dims(ConvGeometry g) {
        return new int[] {g.batch(), g.inChannels(), g.inH(), g.inW(), g.outChannels(), g.kernelH(), g.kernelW(),
                g.strideH(), g.strideW(), g.padH(), g.padW(), g.outH(), g.outW()};
    }

    void forward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvGeometry g) {
        KernelChecks.conv2dForward(x, w, bias, y, g);
        dispatch("forward", g, () -> ownForward(x, w, bias, y, g), () -> cudnn.forward(x, w, bias, y, g));
    }

    private void ownForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvGeometry g) {
        long n = (long) g.batch() * g.outH() * g.outW();
        l.launch(CudaKernels.CONV2D_FWD, CudaLauncher.blocksFor(n, TILE), CudaLauncher.blocksFor(g.outChannels(), TILE), 1, 256,
                x, w, bias, y, dims(g));
    }

    void backwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        KernelChecks.conv2dBackwardData(dy, w, dx, g);
        dispatch("backward-data", g, () -> ownBackwardData(dy, w, dx, g), () -> cudnn.backwardData(dy, w, dx, g));
    }

    private void ownBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        long n = (long) g.batch() * g.inH() * g.inW();
        l.launch(CudaKernels.CONV2D_BWD_DATA, CudaLauncher.blocksFor(n, TILE), CudaLauncher.blocksFor(g.inChannels(), TILE), 1, 256,
                dy, w, dx, dims(g));
    }

    void backwardFilter(Tensor x, Tensor dy, Tensor dw, Tensor db, ConvGeometry g) {
        KernelChecks.conv2dBackwardFilter(x, dy, dw, db, g);
        dispatch("backward-filter", g, () -> ownBackwardFilter(x, dy, dw, db, g), () -> cudnn.backwardFilter(x, dy, dw, db, g));
    }

    private void ownBackwardFilter(Tensor x, Tensor dy, Tensor dw, Tensor db, ConvGeometry g) {
        int m = g.outChannels(), n = g.patchSize();
        long k = (long) g.batch() * g.outH() * g.outW();
        int gridX = CudaLauncher.blocksFor(n, TILE), gridY = CudaLauncher.blocksFor(m, TILE);
        int splits = splits(gridX * gridY, k);
        if (splits == 1) {
            l.launch(CudaKernels.CONV2D_BWD_FILTER, gridX, gridY, 1, 256, x, dy, dw, dims(g));
        } else {
            try (DeviceScratch ws = new DeviceScratch(pool, (long) splits * m * n * Float.BYTES)) {
                l.launch(CudaKernels.CONV2D_BWD_FILTER, gridX, gridY, splits, 256, x, dy, ws.ptr, dims(g));
                l.launchElements(CudaKernels.SPLIT_K_REDUCE, (long) m * n, ws.ptr, splits, m * n, dw);
            }
        }
        if (db != null) {
            int hw = g.outH() * g.outW();
            l.launch(CudaKernels.CONV2D_BIAS_GRAD, m, 1, 1, 256, dy, g.batch(), m, hw, db);
        }
    }

    /** Enough k-slices to give every SM about two tiles, each slice at least 8 k-tiles long. */
    int splits(int tiles, long k) {
        long kTiles = (k + TILE_K - 1) / TILE_K;
        long want = (2L * multiprocessors + tiles - 1) / tiles;
        long most = Math.max(1, kTiles / 8);
        int s = (int) Math.max(1, Math.min(Math.min(want, most), 256));
        // every slice must be non-empty: the kernel cuts k into ceil(kTiles / s) tiles per slice
        long per = (kTiles + s - 1) / s;
        return (int) Math.max(1, (kTiles + per - 1) / per);
    }
}
