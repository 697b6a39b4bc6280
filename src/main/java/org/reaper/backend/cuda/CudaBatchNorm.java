package org.reaper.backend.cuda;

import org.reaper.backend.KernelChecks;
import org.reaper.tensor.Tensor;

/**
 * Batch norm over [N, C, ...]: per-channel statistics (one block per channel), then elementwise
 * passes. The per-channel factors (scale; the three coefficients of dx) are computed once in double
 * by the statistics kernels and handed to the elementwise kernels, exactly as the CPU backend does.
 * Batch norm followed by ReLU runs the ReLU inside the same kernels (its forward in the elementwise pass,
 * its backward's mask where the backward kernels read dy): two launches a direction instead of three, the
 * same bits as the separate ops. Where cuDNN is the measured choice, the ReLU is a kernel of its own.
 */
final class CudaBatchNorm {
    private static final int STATS_BLOCK = 512;

    private final CudaLauncher l;
    private final CudaMemoryPool pool;
    private final CudaElementwise ew;                     // the ReLU beside cuDNN's batch norm
    private final CudnnBatchNorm cudnn;                   // null where cuDNN did not load
    private final ProviderChoice<Key> choice;

    /** What the provider choice is made for: a pass over one input shape. */
    record Key(String pass, org.reaper.tensor.Shape shape) {}

    CudaBatchNorm(CudaLauncher l, CudaMemoryPool pool, CudaElementwise ew, CudnnBatchNorm cudnn, ProviderChoice<Key> choice) {
        this.l = l;
        this.pool = pool;
        this.ew = ew;
        this.cudnn = cudnn;
        this.choice = choice;
    }

    ProviderChoice<Key> choice() { return choice; }

    private void dispatch(Key key, ProviderChoice.Candidate own, ProviderChoice.Candidate viaCudnn) {
        choice.run(key, cudnn == null ? java.util.List.of(own) : java.util.List.of(own, viaCudnn));
    }

    void train(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) {
        KernelChecks.batchNormTrain(x, gamma, beta, rm, rv, y, sm, sis);
        // timing runs update copies of the running statistics, so measuring never moves the real ones
        dispatch(new Key("train", x.shape()),
                new ProviderChoice.Candidate(ProviderChoice.OWN, () -> ownTrain(x, gamma, beta, rm, rv, momentum, eps, y, sm, sis),
                        () -> onCopies(rm, rv, (m, v) -> ownTrain(x, gamma, beta, m, v, momentum, eps, y, sm, sis))),
                new ProviderChoice.Candidate("cudnn", () -> cudnn.train(x, gamma, beta, rm, rv, momentum, eps, y, sm, sis),
                        () -> onCopies(rm, rv, (m, v) -> cudnn.train(x, gamma, beta, m, v, momentum, eps, y, sm, sis))));
    }

    private void onCopies(Tensor rm, Tensor rv, java.util.function.BiConsumer<Tensor, Tensor> op) {
        try (Tensor m = copyOf(rm); Tensor v = copyOf(rv)) { op.accept(m, v); }
    }

    private Tensor copyOf(Tensor t) {
        Tensor c = new Tensor(t.shape(), new CudaStorage(pool, t.numel(), t.device()));
        jcuda.driver.JCudaDriver.cuMemcpyDtoD(CudaStorage.ptr(c), CudaStorage.ptr(t), (long) t.numel() * Float.BYTES);
        return c;
    }

    /** Batch norm then ReLU (y is the ReLU's output). */
    void trainRelu(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) {
        KernelChecks.batchNormTrain(x, gamma, beta, rm, rv, y, sm, sis);
        dispatch(new Key("train+relu", x.shape()),
                new ProviderChoice.Candidate(ProviderChoice.OWN, () -> ownTrain(x, gamma, beta, rm, rv, momentum, eps, y, sm, sis, true),
                        () -> onCopies(rm, rv, (m, v) -> ownTrain(x, gamma, beta, m, v, momentum, eps, y, sm, sis, true))),
                new ProviderChoice.Candidate("cudnn", () -> { cudnn.train(x, gamma, beta, rm, rv, momentum, eps, y, sm, sis); ew.relu(y, y); },
                        () -> onCopies(rm, rv, (m, v) -> { cudnn.train(x, gamma, beta, m, v, momentum, eps, y, sm, sis); ew.relu(y, y); })));
    }

    private void ownTrain(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) {
        ownTrain(x, gamma, beta, rm, rv, momentum, eps, y, sm, sis, false);
    }

    private void ownTrain(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis,
                          boolean fuseRelu) {
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        try (DeviceScratch scale = new DeviceScratch(pool, (long) c * Float.BYTES)) {
            l.launch(CudaKernels.BN_TRAIN_STATS, c, 1, 1, STATS_BLOCK, x, gamma, n, c, hw, momentum, eps, rm, rv, sm, sis, scale.ptr);
            l.launchElements(CudaKernels.BN_APPLY, x.numel(), x, sm, scale.ptr, beta, n, c, hw, fuseRelu ? 1 : 0, y);
        }
    }

    void eval(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float eps, Tensor y) {
        KernelChecks.batchNormEval(x, gamma, beta, rm, rv, y);
        choice.run(new Key("eval", x.shape()), () -> ownEval(x, gamma, beta, rm, rv, eps, y), "cudnn",
                cudnn == null ? null : () -> cudnn.eval(x, gamma, beta, rm, rv, eps, y));
    }

    private void ownEval(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float eps, Tensor y) {
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        l.launchElements(CudaKernels.BN_EVAL_APPLY, x.numel(), x, gamma, beta, rm, rv, eps, n, c, hw, y);
    }

    void backward(Tensor x, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        KernelChecks.batchNormBackward(x, dy, gamma, sm, sis, dx, dg, db);
        choice.run(new Key("backward", x.shape()), () -> ownBackward(x, dy, gamma, sm, sis, dx, dg, db), "cudnn",
                cudnn == null ? null : () -> cudnn.backward(x, dy, gamma, sm, sis, dx, dg, db));
    }

    /** Backward of {@link #trainRelu}, y its output: the ReLU's mask applied where the kernels read dy. */
    void backwardRelu(Tensor x, Tensor y, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        KernelChecks.batchNormBackward(x, dy, gamma, sm, sis, dx, dg, db);
        KernelChecks.sameShape("batchNormReluBackward", "y", x, y);
        choice.run(new Key("backward+relu", x.shape()), () -> ownBackward(x, y, dy, gamma, sm, sis, dx, dg, db), "cudnn",
                cudnn == null ? null : () -> {
                    try (Tensor masked = new Tensor(dy.shape(), new CudaStorage(pool, dy.numel(), dy.device()))) {
                        ew.reluBackward(y, dy, masked);
                        cudnn.backward(x, masked, gamma, sm, sis, dx, dg, db);
                    }
                });
    }

    private void ownBackward(Tensor x, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        ownBackward(x, null, dy, gamma, sm, sis, dx, dg, db);
    }

    /** reluY: null, or the output of a fused BN+ReLU whose mask dy gets. */
    private void ownBackward(Tensor x, Tensor reluY, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        try (DeviceScratch coeffs = new DeviceScratch(pool, 3L * c * Float.BYTES)) {
            l.launch(CudaKernels.BN_BWD_REDUCE, c, 1, 1, STATS_BLOCK, x, dy, reluY, gamma, sm, sis, n, c, hw, dg, db, coeffs.ptr);
            l.launchElements(CudaKernels.BN_BWD_DX, x.numel(), x, dy, reluY, sm, coeffs.ptr, n, c, hw, dx);
        }
    }
}
