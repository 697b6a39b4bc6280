package org.reaper.backend.cpu;

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
 * The pure-Java backend: a thin facade over one kernel class per concern (CpuGemm, CpuConv, ...),
 * a fixed worker pool and an exact-size buffer pool.
 */
public final class CpuBackend implements Backend {
    private final CpuParallel par;
    private final CpuMemoryPool pool;

    public CpuBackend(int threads) {
        this.par = new CpuParallel(threads);
        this.pool = new CpuMemoryPool(Runtime.getRuntime().maxMemory() / 2 / Float.BYTES);   // half the heap: see CpuMemoryPool
    }

    /** One thread per available core. */
    public CpuBackend() { this(Runtime.getRuntime().availableProcessors()); }

    @Override public String name() { return "cpu"; }
    @Override public String toString() { return "cpu(" + par.threads() + (par.threads() == 1 ? " thread)" : " threads)"); }
    @Override public Device device() { return Device.CPU; }
    @Override public int threads() { return par.threads(); }
    public CpuParallel parallel() { return par; }

    @Override public Tensor empty(Shape shape) {
        return TensorScope.track(new Tensor(shape, new CpuStorage(pool.take(shape.numel()), pool)));
    }

    @Override public void upload(float[] src, Tensor dst) {
        if (src.length < dst.numel()) throw new ShapeMismatchException("upload", "host array of " + src.length + " floats for tensor " + dst.shape());
        System.arraycopy(src, 0, CpuStorage.data(dst), 0, dst.numel());
    }

    @Override public void download(Tensor src, float[] dst) {
        if (dst.length < src.numel()) throw new ShapeMismatchException("download", "host array of " + dst.length + " floats for tensor " + src.shape());
        System.arraycopy(CpuStorage.data(src), 0, dst, 0, src.numel());
    }

    @Override public void close() { par.close(); pool.clear(); }

    // elementwise
    @Override public void fill(Tensor t, float v) { CpuElementwise.fill(par, t, v); }
    @Override public void copy(Tensor src, Tensor dst) { CpuElementwise.copy(par, src, dst); }
    @Override public void add(Tensor a, Tensor b, Tensor out) { CpuElementwise.add(par, a, b, out); }
    @Override public void addRelu(Tensor a, Tensor b, Tensor out) { CpuElementwise.addRelu(par, a, b, out); }
    @Override public void mul(Tensor a, Tensor b, Tensor out) { CpuElementwise.mul(par, a, b, out); }
    @Override public void scale(Tensor a, float s, Tensor out) { CpuElementwise.scale(par, a, s, out); }
    @Override public void axpy(float alpha, Tensor x, Tensor y) { CpuElementwise.axpy(par, alpha, x, y); }
    @Override public double sum(Tensor t) { return CpuElementwise.sum(par, t); }
    @Override public double sumOfSquares(Tensor t) { return CpuElementwise.sumOfSquares(par, t); }

    // dense algebra
    @Override public void gemm(boolean ta, boolean tb, float alpha, Tensor a, Tensor b, float beta, Tensor c) { CpuGemm.gemm(par, ta, tb, alpha, a, b, beta, c); }
    @Override public void linearForward(Tensor x, Tensor w, Tensor bias, Tensor y) { CpuLinear.forward(par, x, w, bias, y); }
    @Override public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) { CpuLinear.backward(par, x, w, dy, dx, dw, db); }

    // convolution
    @Override public void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvGeometry g) { CpuConv.forward(par, pool, x, w, bias, y, g); }
    @Override public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) { CpuConv.backwardData(par, pool, dy, w, dx, g); }
    @Override public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, Tensor db, ConvGeometry g) { CpuConv.backwardFilter(par, pool, x, dy, dw, db, g); }

    // batch norm
    @Override public void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) {
        CpuBatchNorm.train(par, x, gamma, beta, rm, rv, momentum, eps, y, sm, sis, false);
    }
    @Override public void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float eps, Tensor y) { CpuBatchNorm.eval(par, x, gamma, beta, rm, rv, eps, y); }
    @Override public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        CpuBatchNorm.backward(par, x, null, dy, gamma, sm, sis, dx, dg, db);
    }
    @Override public void batchNormReluTrain(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) {
        CpuBatchNorm.train(par, x, gamma, beta, rm, rv, momentum, eps, y, sm, sis, true);
    }
    @Override public void batchNormReluBackward(Tensor x, Tensor y, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        CpuBatchNorm.backward(par, x, y, dy, gamma, sm, sis, dx, dg, db);
    }

    // activations
    @Override public void relu(Tensor x, Tensor y) { CpuActivation.relu(par, x, y); }
    @Override public void reluBackward(Tensor y, Tensor dy, Tensor dx) { CpuActivation.reluBackward(par, y, dy, dx); }

    // pooling
    @Override public void maxPool2dForward(Tensor x, Tensor y, Tensor argmax, PoolGeometry g) { CpuPool.maxForward(par, x, y, argmax, g); }
    @Override public void maxPool2dBackward(Tensor argmax, Tensor dy, Tensor dx, PoolGeometry g) { CpuPool.maxBackward(par, argmax, dy, dx, g); }
    @Override public void avgPool2dForward(Tensor x, Tensor y, PoolGeometry g) { CpuPool.avgForward(par, x, y, g); }
    @Override public void avgPool2dBackward(Tensor dy, Tensor dx, PoolGeometry g) { CpuPool.avgBackward(par, dy, dx, g); }

    // loss
    @Override public void softmaxCrossEntropy(Tensor logits, Tensor labels, float s, Tensor probs, Tensor loss) { CpuLoss.softmaxCrossEntropy(par, logits, labels, s, probs, loss); }
    @Override public void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, float s, float scale, Tensor dlogits) { CpuLoss.backward(par, probs, labels, s, scale, dlogits); }
    @Override public int countCorrect(Tensor logits, Tensor labels) { return CpuLoss.countCorrect(logits, labels); }

    // randomness
    @Override public void fillUniform(Tensor t, float lo, float hi, long seed, long offset) { CpuRandom.fillUniform(par, t, lo, hi, seed, offset); }
    @Override public void fillNormal(Tensor t, float mean, float std, long seed, long offset) { CpuRandom.fillNormal(par, t, mean, std, seed, offset); }
    @Override public void dropoutForward(Tensor x, float p, long seed, long offset, Tensor mask, Tensor y) { CpuRandom.dropout(par, x, p, seed, offset, mask, y); }

    // optimizers
    @Override public void sgdStep(Tensor p, Tensor g, Tensor buf, float lr, float momentum, float dampening, float wd, boolean nesterov, boolean first) {
        CpuOptim.sgd(par, p, g, buf, lr, momentum, dampening, wd, nesterov, first);
    }
    @Override public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float b1, float b2, float eps, float wd, boolean decoupled, int step) {
        CpuOptim.adam(par, p, g, m, v, lr, b1, b2, eps, wd, decoupled, step);
    }

    // RePr
    @Override public void scaleRows(Tensor t, Tensor rowScale) { CpuRepr.scaleRows(par, t, rowScale); }
    @Override public void orthoScores(Tensor w, OrthoOptions o, Tensor scores) { CpuRepr.orthoScores(par, w, o, scores); }
    @Override public void gatherRows(Tensor src, int[] rows, Tensor dst) { CpuRepr.gatherRows(src, rows, dst); }
    @Override public void scatterRows(Tensor src, int[] rows, Tensor dst) { CpuRepr.scatterRows(src, rows, dst); }
    @Override public NullSpaceReinit.Result reinitNullSpace(Tensor w, Tensor bias, NullSpaceReinit.Request r) { return CpuNullSpaceReinit.apply(w, bias, r); }
}
