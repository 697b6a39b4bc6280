package org.reaper.backend;

import java.util.List;
import org.reaper.tensor.Device;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * The kernel contract: the only place numbers are crunched. One method per kernel; every kernel
 * writes into caller-provided output tensors (it never allocates them) and checks the shapes it is
 * given, throwing {@link org.reaper.tensor.ShapeMismatchException} naming the op and both shapes.
 * All tensors are dense row-major float32 on this backend's device. Unless a method says
 * "accumulates", outputs are overwritten. Labels are stored as floats holding small integers.
 *
 * <p>Kernels may run asynchronously on a device; methods that return host values
 * ({@link #download}, {@link #sum}) synchronise.
 */
public interface Backend extends AutoCloseable {

    // ---------------------------------------------------------------- identity and memory
    String name();
    Device device();
    /** Worker threads (CPU) or 1. */
    int threads();

    /** Fresh uninitialised tensor; owned by the innermost open {@link org.reaper.tensor.TensorScope}, if any. */
    Tensor empty(Shape shape);

    default Tensor zeros(Shape shape) { Tensor t = empty(shape); fill(t, 0f); return t; }

    default Tensor fromHost(float[] data, Shape shape) { Tensor t = empty(shape); upload(data, t); return t; }

    /** Copies {@code dst.numel()} floats from host memory. */
    void upload(float[] src, Tensor dst);

    /** Copies {@code src.numel()} floats to host memory. */
    void download(Tensor src, float[] dst);

    default float[] toHost(Tensor t) { float[] a = new float[t.numel()]; download(t, a); return a; }

    /** Waits for queued work (no-op on the CPU). */
    default void synchronize() {}

    /** Frees pools and threads. The backend is unusable afterwards. */
    @Override void close();

    // ---------------------------------------------------------------- elementwise
    void fill(Tensor t, float value);
    void copy(Tensor src, Tensor dst);
    /** out = a + b (out may alias a or b). */
    void add(Tensor a, Tensor b, Tensor out);
    /** out = max(a + b, 0): {@link #add} then {@link #relu} (a residual connection and its ReLU), which a backend may do in one pass. */
    default void addRelu(Tensor a, Tensor b, Tensor out) {
        add(a, b, out);
        relu(out, out);
    }
    /** out = a * b elementwise (out may alias a or b). */
    void mul(Tensor a, Tensor b, Tensor out);
    /** out = s * a (out may alias a). */
    void scale(Tensor a, float s, Tensor out);
    /** y += alpha * x. */
    void axpy(float alpha, Tensor x, Tensor y);
    /** Sum of all elements, computed in double, returned to the host. */
    double sum(Tensor t);
    /** Sum of squares of all elements, in double, on the host. */
    double sumOfSquares(Tensor t);

    // ---------------------------------------------------------------- dense algebra
    /**
     * C = alpha * op(A) * op(B) + beta * C with 2-D tensors; op(X) = X or X^T.
     * op(A) is M x K, op(B) is K x N, C is M x N. With beta = 0, C's old contents are ignored (NaNs too).
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /** y[N,out] = x[N,in] * w[out,in]^T + bias[out] (bias may be null). PyTorch Linear layout. */
    void linearForward(Tensor x, Tensor w, Tensor bias, Tensor y);

    /** dx = dy * w (skipped when dx is null); dw = dy^T * x; dbias = column sums of dy (skipped when null). */
    void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor dbias);

    // ---------------------------------------------------------------- convolution (NCHW, OIHW)
    /** y = conv(x, w) + bias (bias may be null). */
    void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvGeometry g);
    /** dx = gradient of the convolution w.r.t. its input. */
    void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g);
    /** dw = gradient w.r.t. the weights; dbias = per-channel sums of dy (skipped when null). */
    void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, Tensor dbias, ConvGeometry g);

    // ---------------------------------------------------------------- batch norm 2d (per channel over N,H,W)
    /**
     * Training-mode batch norm. Writes y, saveMean[C], saveInvStd[C] = 1/sqrt(biased var + eps), and
     * updates running stats in place: running = (1 - momentum) * running + momentum * batch, where
     * the running variance uses the unbiased batch variance (PyTorch).
     */
    void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                        float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd);
    /** Eval-mode batch norm with the running statistics. */
    void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps, Tensor y);
    /** Backward of training-mode batch norm: dx, dgamma, dbeta (all overwritten). */
    void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                           Tensor dx, Tensor dgamma, Tensor dbeta);
    /**
     * y = max(batch norm(x), 0) in training mode: {@link #batchNormTrain} then {@link #relu}, which a backend may
     * do in one pass over the data (the pair follows most convolutions).
     */
    default void batchNormReluTrain(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                    float momentum, float eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        batchNormTrain(x, gamma, beta, runningMean, runningVar, momentum, eps, y, saveMean, saveInvStd);
        relu(y, y);
    }
    /** Backward of {@link #batchNormReluTrain}, y its output: {@link #reluBackward} then {@link #batchNormBackward}. */
    default void batchNormReluBackward(Tensor x, Tensor y, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                       Tensor dx, Tensor dgamma, Tensor dbeta) {
        try (Tensor masked = empty(dy.shape())) {
            reluBackward(y, dy, masked);
            batchNormBackward(x, masked, gamma, saveMean, saveInvStd, dx, dgamma, dbeta);
        }
    }

    // ---------------------------------------------------------------- activations
    void relu(Tensor x, Tensor y);
    /** dx = dy where y > 0, else 0 (y is the ReLU output). */
    void reluBackward(Tensor y, Tensor dy, Tensor dx);

    // ---------------------------------------------------------------- pooling
    /**
     * y = the maximum of each window (NaN propagates). When {@code argmax} (the output's shape) is not null it
     * receives, for the backward, where in its window each maximum was: the first maximum in row-major order (the
     * first NaN, if any), as the float position {@code row * kernelW + col} inside the kernel window, padding
     * positions counted. Pass null when no backward will follow (evaluation, no-grad).
     */
    void maxPool2dForward(Tensor x, Tensor y, Tensor argmax, PoolGeometry g);
    /** Routes each dy to the window position its forward recorded in argmax, accumulating overlaps (dx overwritten). */
    void maxPool2dBackward(Tensor argmax, Tensor dy, Tensor dx, PoolGeometry g);
    void avgPool2dForward(Tensor x, Tensor y, PoolGeometry g);
    void avgPool2dBackward(Tensor dy, Tensor dx, PoolGeometry g);

    // ---------------------------------------------------------------- loss and metrics
    /**
     * Row-wise softmax of logits[N,C] into probs, and the per-sample cross-entropy into loss[N]
     * with label smoothing s: target = (1 - s) * onehot + s / C.
     */
    void softmaxCrossEntropy(Tensor logits, Tensor labels, float smoothing, Tensor probs, Tensor loss);
    /** dlogits = scale * (probs - target), target as above; scale is usually 1/N for a mean loss. */
    void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, float smoothing, float scale, Tensor dlogits);
    /** Number of rows of logits[N,C] whose first maximal column equals the label. */
    int countCorrect(Tensor logits, Tensor labels);

    // ---------------------------------------------------------------- randomness (Philox-4x32-10, see org.reaper.rng.Philox)
    /** Element i gets {@code lo + (hi - lo) * u} in float arithmetic, u = Philox.uniform(seed, offset, i). */
    void fillUniform(Tensor t, float lo, float hi, long seed, long offset);
    /** Element i gets mean + std * Philox.normal(seed, offset, i). */
    void fillNormal(Tensor t, float mean, float std, long seed, long offset);
    /**
     * Inverted dropout: mask[i] = (Philox.uniform(seed, offset, i) >= p) ? 1/(1-p) : 0; y = x * mask.
     * Backward is {@link #mul}(dy, mask, dx).
     */
    void dropoutForward(Tensor x, float p, long seed, long offset, Tensor mask, Tensor y);

    // ---------------------------------------------------------------- optimizers (fused, in place)
    /**
     * PyTorch SGD: g' = g + wd * p; buf = momentum * buf + (1 - dampening) * g' (buf = g' when
     * {@code firstStep}); step = nesterov ? g' + momentum * buf : buf; p -= lr * step.
     * With momentum == 0, buf may be null and step = g'.
     */
    void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, float lr, float momentum, float dampening,
                 float weightDecay, boolean nesterov, boolean firstStep);
    /**
     * {@link #sgdStep} on every tensor of a parameter list with the same hyper-parameters: params, grads and (when
     * momentum != 0) momentumBufs line up, {@code firstStep[i]} is tensor i's flag; momentumBufs may be null when
     * momentum == 0. The same floats as the calls one by one (this default); a GPU backend updates the whole list
     * in one launch.
     */
    default void sgdSteps(List<Tensor> params, List<Tensor> grads, List<Tensor> momentumBufs, boolean[] firstStep, float lr,
                          float momentum, float dampening, float weightDecay, boolean nesterov) {
        KernelChecks.sgdSteps(params, grads, momentumBufs, firstStep, momentum);
        for (int i = 0; i < params.size(); i++)
            sgdStep(params.get(i), grads.get(i), momentumBufs == null ? null : momentumBufs.get(i), lr, momentum, dampening,
                    weightDecay, nesterov, firstStep[i]);
    }
    /**
     * Adam (PyTorch, L2 weight decay added to the gradient, or decoupled AdamW when {@code decoupled}):
     * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                  float weightDecay, boolean decoupled, int step);

    // ---------------------------------------------------------------- RePr
    /**
     * Multiplies row r of t (viewed as rows = dim 0, the rest flattened) by rowScale[r]; used to zero
     * dropped filters (scale 0) in weights, biases, BN parameters, gradients and optimizer state.
     */
    void scaleRows(Tensor t, Tensor rowScale);
    /**
     * Inter-filter orthogonality of one layer: w is J x D (filters as rows, any rank with dim 0 = J);
     * writes the J scores (see {@link OrthoOptions}) into scores[J].
     */
    void orthoScores(Tensor w, OrthoOptions options, Tensor scores);
    /** dst[i, :] = src[rows[i], :], with src viewed as [R, L] (R = dim 0) and dst as [rows.length, L]. */
    void gatherRows(Tensor src, int[] rows, Tensor dst);
    /** dst[rows[i], :] = src[i, :], the inverse of {@link #gatherRows}. */
    void scatterRows(Tensor src, int[] rows, Tensor dst);
    /** RePr's null-space re-initialisation of the dropped rows of {@code weight} (J x D); see {@link NullSpaceReinit}. */
    NullSpaceReinit.Result reinitNullSpace(Tensor weight, Tensor bias, NullSpaceReinit.Request request);
}
