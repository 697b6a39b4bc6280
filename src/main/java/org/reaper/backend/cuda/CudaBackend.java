package org.reaper.backend.cuda;

import java.util.List;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.JCudaDriver;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.backend.ConvGeometry;
import org.reaper.backend.NullSpaceReinit;
import org.reaper.backend.OrthoOptions;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Device;
import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * The GPU backend: Reaper's own kernels (native-kernels/*.cu) for every op, so it needs only the
 * NVIDIA driver; one blocking stream; a caching device-memory pool. A thin facade over one class
 * per concern, like the CPU backend. The GEMM provider is chosen by the system property
 * {@code reaper.cuda.gemm} = {@code own} (default, FP32), {@code tf32} (tensor cores) or
 * {@code cublas} (when libcublas.so.12 loads; falls back to {@code own} otherwise).
 */
public final class CudaBackend implements Backend {
    private final CudaContext ctx;
    private final CudaModules modules;
    private final CudaMemoryPool pool;
    private final Device device;
    private final CublasGemm cublas;
    private final Cudnn dnn;
    private final CudnnConv cudnnConv;
    private final CudnnBatchNorm cudnnBn;
    private final CudaElementwise ew;
    private final CudaGemm gemm;
    private final CudaConv conv;
    private final CudaBatchNorm bn;
    private final CudaPool pooling;
    private final CudaLoss loss;
    private final CudaRandom random;
    private final CudaOptim optim;
    private final CudaRepr repr;
    private final CudaLauncher launcher;
    private final boolean emulated;
    private boolean closed;

    /** Device 0 with the providers from {@code -Dreaper.cuda.gemm}, {@code .conv}, {@code .bn} (each auto by default). */
    public CudaBackend() { this(0, System.getProperty("reaper.cuda.gemm", "auto")); }

    /** @param gemmProvider auto, own, cublas or tf32 (conv and batch norm from -Dreaper.cuda.conv / .bn: auto, own or cudnn) */
    public CudaBackend(int ordinal, String gemmProvider) {
        CudaProbe.Report probe = CudaProbe.get();
        this.emulated = CudaEmulator.loaded();
        if (!probe.usable()) throw new ReaperException("--device " + name() + ": " + probe.explanation());
        String gemmSetting = gemmProvider == null ? "auto" : gemmProvider.strip().toLowerCase();
        boolean tf32 = gemmSetting.equals("tf32");
        if (emulated && tf32)
            throw new ReaperException("the TF32 tensor-core GEMM (-Dreaper.cuda.gemm=tf32) runs only on a real GPU; "
                    + "use -Dreaper.cuda.gemm=own with --device cuda-emulated");
        String convSetting = System.getProperty("reaper.cuda.conv", "auto"), bnSetting = System.getProperty("reaper.cuda.bn", "auto");
        ProviderChoice.Timer timer = this::millis;
        ProviderChoice<CudaGemm.Key> gemmChoice = new ProviderChoice<>("gemm", tf32 ? "own" : gemmSetting, List.of("cublas"), timer);
        ProviderChoice<CudaConv.Key> convChoice = new ProviderChoice<>("conv", convSetting, List.of("cudnn"), timer);
        ProviderChoice<CudaBatchNorm.Key> bnChoice = new ProviderChoice<>("bn", bnSetting, List.of("cudnn"), timer);
        CudaContext c = new CudaContext(ordinal);
        CudaModules m = null;
        CudaMemoryPool p = null;
        try {
            m = new CudaModules();
            p = new CudaMemoryPool(c);
        } catch (RuntimeException | LinkageError e) {
            // nothing of a half-built backend may outlive the failure: the context is released here
            if (m != null) m.close();
            c.close();
            throw e;
        }
        this.ctx = c;
        this.modules = m;
        this.pool = p;
        this.device = Device.cuda(ordinal);
        // the libraries, where they loaded and are wanted (never on the stand-in: they need a real GPU)
        this.cublas = !emulated && !tf32 && probe.cublas() && !gemmSetting.equals("own") ? optional("cuBLAS", () -> new CublasGemm(ctx)) : null;
        this.dnn = !emulated && probe.cudnn() && !(convSetting.equals("own") && bnSetting.equals("own")) ? optional("cuDNN", () -> new Cudnn(ctx)) : null;
        this.cudnnConv = dnn == null ? null : new CudnnConv(dnn, pool);
        this.cudnnBn = dnn == null ? null : new CudnnBatchNorm(dnn);
        CudaLauncher l = new CudaLauncher(ctx, modules);
        this.launcher = l;
        this.ew = new CudaElementwise(l, pool);
        this.gemm = new CudaGemm(l, tf32 ? CudaGemm.Provider.TF32 : CudaGemm.Provider.MEASURED, cublas, gemmChoice);
        this.conv = new CudaConv(l, pool, cudnnConv, convChoice);
        this.bn = new CudaBatchNorm(l, pool, ew, cudnnBn, bnChoice);
        this.pooling = new CudaPool(l);
        this.loss = new CudaLoss(l, pool);
        this.random = new CudaRandom(l);
        this.optim = new CudaOptim(l, pool);
        this.repr = new CudaRepr(l, pool);
    }

    /** One run's milliseconds, the stream drained before and after (provider measurement). */
    private double millis(Runnable run) {
        ctx.synchronize();
        long t0 = System.nanoTime();
        run.run();
        ctx.synchronize();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static <T> T optional(String what, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (LinkageError | RuntimeException e) {
            System.err.println("cuda: " + what + " not usable (" + CudaProbe.oneLine(e) + "); Reaper's own kernels are used");
            return null;
        }
    }

    /**
     * Per op, the provider setting and how many shapes each provider has won so far, e.g.
     * {gemm=auto: cublas 5 own 2, conv=auto (cuDNN not loaded): own 9}.
     */
    public java.util.Map<String, String> providers() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        out.put("gemm", gemm.provider() == CudaGemm.Provider.TF32 ? "tf32" : describe(gemm.choice(), cublas == null ? "cuBLAS not loaded" : null));
        out.put("conv", describe(conv.choice(), cudnnConv == null ? "cuDNN not loaded" : null));
        out.put("bn", describe(bn.choice(), cudnnBn == null ? "cuDNN not loaded" : null));
        return out;
    }

    private static String describe(ProviderChoice<?> c, String missing) {
        StringBuilder sb = new StringBuilder(c.setting());
        if (missing != null) sb.append(" (").append(missing).append(")");
        java.util.Map<String, Integer> w = c.wins();
        if (!w.isEmpty()) {
            sb.append(":");
            w.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v));
        }
        return sb.toString();
    }

    /** "cuda", or "cuda-emulated" on the CPU stand-in. */
    @Override public String name() { return emulated ? CudaDriver.EMULATED.device() : CudaDriver.SYSTEM.device(); }
    @Override public String toString() { return name(); }

    /** Whether this backend runs on the CPU stand-in for the driver. */
    public boolean emulated() { return emulated; }
    @Override public Device device() { return device; }
    @Override public int threads() { return 1; }

    /** The GPU's name, e.g. "NVIDIA H200". */
    public String deviceName() { return ctx.deviceName; }
    /** tf32, or the measured choice's setting (auto, own or cublas). */
    public String gemmProvider() { return gemm.provider() == CudaGemm.Provider.TF32 ? "tf32" : gemm.choice().setting(); }
    /**
     * Reaper's own kernel launches so far, counted where they are queued (on a GPU as on the stand-in); cuBLAS
     * and cuDNN calls, where those providers run, launch kernels of their own that this does not count.
     * A launch-bound step costs at least this many launch overheads.
     */
    public long kernelLaunches() { return launcher.launches(); }
    /** cuMemAlloc calls so far; constant once a training step has run (the pool serves the rest). */
    public long deviceAllocations() { return pool.deviceAllocations(); }
    public long bytesInUse() { return pool.bytesInUse(); }
    public long bytesCached() { return pool.bytesCached(); }

    /** Binds this backend's context to the calling thread (for profiler calls from another thread). */
    public void makeCurrent() { ctx.makeCurrent(); }

    @Override public Tensor empty(Shape shape) {
        if (closed) throw new IllegalStateException("the CUDA backend is closed");
        return TensorScope.track(new Tensor(shape, new CudaStorage(pool, shape.numel(), device)));
    }

    @Override public void upload(float[] src, Tensor dst) {
        if (src.length < dst.numel()) throw new ShapeMismatchException("upload", "host array of " + src.length + " floats for tensor " + dst.shape());
        if (dst.numel() == 0) return;
        ctx.makeCurrent();
        try {
            // legacy-stream copy: ordered after the work queued on our blocking stream
            JCudaDriver.cuMemcpyHtoD(CudaStorage.ptr(dst), Pointer.to(src), (long) dst.numel() * Float.BYTES);
        } catch (CudaException e) {
            throw afterLaunches("upload to the device", e);
        }
    }

    @Override public void download(Tensor src, float[] dst) {
        if (dst.length < src.numel()) throw new ShapeMismatchException("download", "host array of " + dst.length + " floats for tensor " + src.shape());
        if (src.numel() == 0) return;
        ctx.makeCurrent();
        try {
            JCudaDriver.cuMemcpyDtoH(Pointer.to(dst), CudaStorage.ptr(src), (long) src.numel() * Float.BYTES);
        } catch (CudaException e) {
            throw afterLaunches("download from the device", e);
        }
    }

    @Override public void synchronize() {
        try {
            ctx.synchronize();
        } catch (CudaException e) {
            throw afterLaunches("synchronize", e);
        }
    }

    /** An error at a copy or a synchronize usually comes from a kernel queued earlier: name the last ones. */
    private ReaperException afterLaunches(String what, CudaException e) {
        String recent = launcher.recentKernels();
        return new ReaperException(CudaFailure.describe("CUDA " + what + " failed", e)
                + (recent.isEmpty() ? "" : "; the last kernels launched were " + recent + " (-Dreaper.cuda.sync=true checks each launch)"), e);
    }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        ctx.synchronize();
        if (cublas != null) cublas.close();
        if (cudnnConv != null) cudnnConv.close();
        if (cudnnBn != null) cudnnBn.close();
        if (dnn != null) dnn.close();
        pool.close();
        modules.close();
        ctx.close();
    }

    // elementwise
    @Override public void fill(Tensor t, float v) { ew.fill(t, v); }
    @Override public void copy(Tensor src, Tensor dst) { ew.copy(src, dst); }
    @Override public void add(Tensor a, Tensor b, Tensor out) { ew.add(a, b, out); }
    @Override public void addRelu(Tensor a, Tensor b, Tensor out) { ew.addRelu(a, b, out); }
    @Override public void mul(Tensor a, Tensor b, Tensor out) { ew.mul(a, b, out); }
    @Override public void scale(Tensor a, float s, Tensor out) { ew.scale(a, s, out); }
    @Override public void axpy(float alpha, Tensor x, Tensor y) { ew.axpy(alpha, x, y); }
    @Override public double sum(Tensor t) { return ew.sum(t, false); }
    @Override public double sumOfSquares(Tensor t) { return ew.sum(t, true); }

    // dense algebra
    @Override public void gemm(boolean ta, boolean tb, float alpha, Tensor a, Tensor b, float beta, Tensor c) { gemm.gemm(ta, tb, alpha, a, b, beta, c); }
    @Override public void linearForward(Tensor x, Tensor w, Tensor bias, Tensor y) { gemm.linearForward(x, w, bias, y); }
    @Override public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) { gemm.linearBackward(x, w, dy, dx, dw, db); }

    // convolution
    @Override public void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvGeometry g) { conv.forward(x, w, bias, y, g); }
    @Override public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) { conv.backwardData(dy, w, dx, g); }
    @Override public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, Tensor db, ConvGeometry g) { conv.backwardFilter(x, dy, dw, db, g); }

    // batch norm
    @Override public void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) {
        bn.train(x, gamma, beta, rm, rv, momentum, eps, y, sm, sis);
    }
    @Override public void batchNormReluTrain(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) {
        bn.trainRelu(x, gamma, beta, rm, rv, momentum, eps, y, sm, sis);
    }
    @Override public void batchNormReluBackward(Tensor x, Tensor y, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        bn.backwardRelu(x, y, dy, gamma, sm, sis, dx, dg, db);
    }
    @Override public void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float eps, Tensor y) { bn.eval(x, gamma, beta, rm, rv, eps, y); }
    @Override public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        bn.backward(x, dy, gamma, sm, sis, dx, dg, db);
    }

    // activations
    @Override public void relu(Tensor x, Tensor y) { ew.relu(x, y); }
    @Override public void reluBackward(Tensor y, Tensor dy, Tensor dx) { ew.reluBackward(y, dy, dx); }

    // pooling
    @Override public void maxPool2dForward(Tensor x, Tensor y, Tensor argmax, PoolGeometry g) { pooling.maxForward(x, y, argmax, g); }
    @Override public void maxPool2dBackward(Tensor argmax, Tensor dy, Tensor dx, PoolGeometry g) { pooling.maxBackward(argmax, dy, dx, g); }
    @Override public void avgPool2dForward(Tensor x, Tensor y, PoolGeometry g) { pooling.avgForward(x, y, g); }
    @Override public void avgPool2dBackward(Tensor dy, Tensor dx, PoolGeometry g) { pooling.avgBackward(dy, dx, g); }

    // loss
    @Override public void softmaxCrossEntropy(Tensor logits, Tensor labels, float s, Tensor probs, Tensor l) { loss.forward(logits, labels, s, probs, l); }
    @Override public void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, float s, float scale, Tensor dlogits) { loss.backward(probs, labels, s, scale, dlogits); }
    @Override public int countCorrect(Tensor logits, Tensor labels) { return loss.countCorrect(logits, labels); }

    // randomness
    @Override public void fillUniform(Tensor t, float lo, float hi, long seed, long offset) { random.uniform(t, lo, hi, seed, offset); }
    @Override public void fillNormal(Tensor t, float mean, float std, long seed, long offset) { random.normal(t, mean, std, seed, offset); }
    @Override public void dropoutForward(Tensor x, float p, long seed, long offset, Tensor mask, Tensor y) { random.dropout(x, p, seed, offset, mask, y); }

    // optimizers
    @Override public void sgdStep(Tensor p, Tensor g, Tensor buf, float lr, float momentum, float dampening, float wd, boolean nesterov, boolean first) {
        optim.sgd(p, g, buf, lr, momentum, dampening, wd, nesterov, first);
    }
    @Override public void sgdSteps(List<Tensor> ps, List<Tensor> gs, List<Tensor> bufs, boolean[] first, float lr, float momentum,
                                   float dampening, float wd, boolean nesterov) {
        optim.sgdList(ps, gs, bufs, first, lr, momentum, dampening, wd, nesterov);
    }
    @Override public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float b1, float b2, float eps, float wd, boolean decoupled, int step) {
        optim.adam(p, g, m, v, lr, b1, b2, eps, wd, decoupled, step);
    }

    // RePr
    @Override public void scaleRows(Tensor t, Tensor rowScale) { repr.scaleRows(t, rowScale); }
    @Override public void orthoScores(Tensor w, OrthoOptions o, Tensor scores) { repr.orthoScores(w, o, scores); }
    @Override public void gatherRows(Tensor src, int[] rows, Tensor dst) { repr.gatherRows(src, rows, dst); }
    @Override public void scatterRows(Tensor src, int[] rows, Tensor dst) { repr.scatterRows(src, rows, dst); }
    @Override public NullSpaceReinit.Result reinitNullSpace(Tensor w, Tensor bias, NullSpaceReinit.Request r) { return repr.reinitNullSpace(w, bias, r); }
}
