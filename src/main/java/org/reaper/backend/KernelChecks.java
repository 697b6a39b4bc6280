package org.reaper.backend;

import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/**
 * The argument checks of the {@link Backend} contract, shared by every backend so that a bad call is
 * rejected the same way (same exception, same message naming the op and both shapes) wherever it runs.
 * Checks that depend on the data or the device (label values, storage type) stay with the backends.
 */
public final class KernelChecks {
    private KernelChecks() {}

    /** op(A) is m x k, op(B) is k x n, C is m x n. */
    public record GemmDims(int m, int n, int k) {}

    /** x is [n, in], w is [out, in], y is [n, out]. */
    public record LinearDims(int n, int in, int out) {}

    // ---------------------------------------------------------------- building blocks

    public static void notNull(String op, String what, Object o) {
        if (o == null) throw new IllegalArgumentException(op + ": " + what + " is null");
    }

    /** Throws unless {@code actual} has the shape of {@code expected}. */
    public static void sameShape(String op, String what, Tensor expected, Tensor actual) {
        if (expected == null) throw new IllegalArgumentException(op + ": input is null");
        notNull(op, what, actual);
        ShapeMismatchException.require(op, what, expected.shape(), actual.shape());
    }

    public static void shape(String op, String what, Shape expected, Tensor actual) {
        notNull(op, what, actual);
        ShapeMismatchException.require(op, what, expected, actual.shape());
    }

    /** Like {@link #shape}, but a null tensor (an optional output or bias) passes. */
    private static void optionalShape(String op, String what, Shape expected, Tensor actual) {
        if (actual != null) ShapeMismatchException.require(op, what, expected, actual.shape());
    }

    /** Dim 0 of t (its rows; the rest is flattened). */
    public static int rows(String op, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": tensor is null");
        if (t.rank() < 1) throw new ShapeMismatchException(op, "needs a tensor with rows (rank >= 1), got shape " + t.shape());
        return t.dim(0);
    }

    // ---------------------------------------------------------------- elementwise

    /** out = a (op) b: b and out have a's shape. */
    public static void binary(String op, Tensor a, Tensor b, Tensor out) {
        sameShape(op, "b", a, b);
        sameShape(op, "out", a, out);
    }

    // ---------------------------------------------------------------- dense algebra

    public static GemmDims gemm(boolean ta, boolean tb, Tensor a, Tensor b, Tensor c) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2)
            throw new ShapeMismatchException("gemm", "expects 2-D tensors, got A " + a.shape() + ", B " + b.shape() + ", C " + c.shape());
        int m = ta ? a.dim(1) : a.dim(0), k = ta ? a.dim(0) : a.dim(1);
        int kb = tb ? b.dim(1) : b.dim(0), n = tb ? b.dim(0) : b.dim(1);
        if (k != kb || c.dim(0) != m || c.dim(1) != n)
            throw new ShapeMismatchException("gemm", "op(A) of A " + a.shape() + (ta ? "^T" : "") + " times op(B) of B "
                    + b.shape() + (tb ? "^T" : "") + " does not fit C " + c.shape());
        return new GemmDims(m, n, k);
    }

    public static LinearDims linearForward(Tensor x, Tensor w, Tensor bias, Tensor y) {
        String op = "linearForward";
        LinearDims d = linear(op, x, w);
        ShapeMismatchException.require(op, "output", Shape.of(d.n(), d.out()), y.shape());
        optionalShape(op, "bias", Shape.of(d.out()), bias);
        return d;
    }

    public static LinearDims linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        String op = "linearBackward";
        LinearDims d = linear(op, x, w);
        ShapeMismatchException.require(op, "output gradient", Shape.of(d.n(), d.out()), dy.shape());
        optionalShape(op, "input gradient", x.shape(), dx);
        ShapeMismatchException.require(op, "weight gradient", w.shape(), dw.shape());
        optionalShape(op, "bias gradient", Shape.of(d.out()), db);
        return d;
    }

    private static LinearDims linear(String op, Tensor x, Tensor w) {
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1))
            throw new ShapeMismatchException(op, "input " + x.shape() + " does not fit weight " + w.shape() + " (expected [N, in] and [out, in])");
        return new LinearDims(x.dim(0), x.dim(1), w.dim(0));
    }

    // ---------------------------------------------------------------- convolution

    public static void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvGeometry g) {
        String op = "conv2dForward";
        ShapeMismatchException.require(op, "input", g.inputShape(), x.shape());
        ShapeMismatchException.require(op, "weight", g.weightShape(), w.shape());
        ShapeMismatchException.require(op, "output", g.outputShape(), y.shape());
        optionalShape(op, "bias", g.biasShape(), bias);
    }

    public static void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        String op = "conv2dBackwardData";
        ShapeMismatchException.require(op, "output gradient", g.outputShape(), dy.shape());
        ShapeMismatchException.require(op, "weight", g.weightShape(), w.shape());
        ShapeMismatchException.require(op, "input gradient", g.inputShape(), dx.shape());
    }

    public static void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, Tensor db, ConvGeometry g) {
        String op = "conv2dBackwardFilter";
        ShapeMismatchException.require(op, "input", g.inputShape(), x.shape());
        ShapeMismatchException.require(op, "output gradient", g.outputShape(), dy.shape());
        ShapeMismatchException.require(op, "weight gradient", g.weightShape(), dw.shape());
        optionalShape(op, "bias gradient", g.biasShape(), db);
    }

    // ---------------------------------------------------------------- batch norm

    public static void batchNormTrain(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                      Tensor y, Tensor saveMean, Tensor saveInvStd) {
        String op = "batchNormTrain";
        Shape cs = batchNormApply(op, x, gamma, beta, runningMean, runningVar, y);
        shape(op, "saveMean", cs, saveMean);
        shape(op, "saveInvStd", cs, saveInvStd);
        if ((long) x.dim(0) * x.shape().sizeFrom(2) < 2)
            throw new ShapeMismatchException(op, "training needs more than one value per channel, got input shape " + x.shape());
    }

    public static void batchNormEval(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, Tensor y) {
        batchNormApply("batchNormEval", x, gamma, beta, runningMean, runningVar, y);
    }

    public static void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                         Tensor dx, Tensor dgamma, Tensor dbeta) {
        String op = "batchNormBackward";
        Shape cs = channelShape(op, x);
        sameShape(op, "dy", x, dy);
        sameShape(op, "dx", x, dx);
        shape(op, "gamma", cs, gamma);
        shape(op, "saveMean", cs, saveMean);
        shape(op, "saveInvStd", cs, saveInvStd);
        shape(op, "dgamma", cs, dgamma);
        shape(op, "dbeta", cs, dbeta);
    }

    /** The checks train and eval share; returns the per-channel shape [C]. */
    private static Shape batchNormApply(String op, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                       Tensor y) {
        Shape cs = channelShape(op, x);
        sameShape(op, "y", x, y);
        shape(op, "gamma", cs, gamma);
        shape(op, "beta", cs, beta);
        shape(op, "runningMean", cs, runningMean);
        shape(op, "runningVar", cs, runningVar);
        return cs;
    }

    private static Shape channelShape(String op, Tensor x) {
        if (x == null) throw new IllegalArgumentException(op + ": x is null");
        if (x.rank() < 2) throw new ShapeMismatchException(op, "input must be [N, C, ...], got shape " + x.shape());
        return Shape.of(x.dim(1));
    }

    // ---------------------------------------------------------------- pooling

    /** Forward pooling (max or average): x is the geometry's input, y its output. */
    public static void pool2dForward(String op, Tensor x, Tensor y, PoolGeometry g) {
        pool(op, x, "y", y, g);
    }

    /** Max-pool forward: as {@link #pool2dForward}, and argmax (when given) has the output's shape. */
    public static void maxPool2dForward(Tensor x, Tensor y, Tensor argmax, PoolGeometry g) {
        pool2dForward("maxPool2dForward", x, y, g);
        if (argmax != null) shape("maxPool2dForward", "argmax", g.outputShape(), argmax);
    }

    public static void maxPool2dBackward(Tensor argmax, Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "maxPool2dBackward";
        notNull(op, "geometry", g);
        shape(op, "argmax", g.outputShape(), argmax);
        shape(op, "dy", g.outputShape(), dy);
        shape(op, "dx", g.inputShape(), dx);
    }

    public static void avgPool2dBackward(Tensor dy, Tensor dx, PoolGeometry g) {
        String op = "avgPool2dBackward";
        notNull(op, "geometry", g);
        shape(op, "dy", g.outputShape(), dy);
        shape(op, "dx", g.inputShape(), dx);
    }

    private static void pool(String op, Tensor x, String outName, Tensor out, PoolGeometry g) {
        notNull(op, "geometry", g);
        shape(op, "x", g.inputShape(), x);
        shape(op, outName, g.outputShape(), out);
    }

    // ---------------------------------------------------------------- loss and metrics

    public static void softmaxCrossEntropy(Tensor logits, Tensor labels, float smoothing, Tensor probs, Tensor loss) {
        String op = "softmaxCrossEntropy";
        logits(op, logits, labels);
        sameShape(op, "probs", logits, probs);
        shape(op, "loss", Shape.of(logits.dim(0)), loss);
        smoothing(op, smoothing);
    }

    public static void softmaxCrossEntropyBackward(Tensor probs, Tensor labels, float smoothing, Tensor dlogits) {
        String op = "softmaxCrossEntropyBackward";
        logits(op, probs, labels);
        sameShape(op, "dlogits", probs, dlogits);
        smoothing(op, smoothing);
    }

    public static void countCorrect(Tensor logits, Tensor labels) {
        logits("countCorrect", logits, labels);
    }

    private static void logits(String op, Tensor logits, Tensor labels) {
        notNull(op, "logits", logits);
        if (logits.rank() != 2 || logits.dim(1) == 0)
            throw new ShapeMismatchException(op, "logits must be [N, C] with C > 0, got shape " + logits.shape());
        shape(op, "labels", Shape.of(logits.dim(0)), labels);
    }

    private static void smoothing(String op, float s) {
        if (!(s >= 0f && s <= 1f)) throw new IllegalArgumentException(op + ": label smoothing must be in [0, 1], got " + s);
    }

    // ---------------------------------------------------------------- randomness

    public static void dropout(Tensor x, float p, Tensor mask, Tensor y) {
        String op = "dropoutForward";
        sameShape(op, "mask", x, mask);
        sameShape(op, "y", x, y);
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException(op + ": drop probability must be in [0, 1], got " + p);
    }

    // ---------------------------------------------------------------- optimizers

    public static void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, float momentum) {
        String op = "sgdStep";
        sameShape(op, "grad", param, grad);
        if (momentum != 0f || momentumBuf != null) sameShape(op, "momentumBuf", param, momentumBuf);
    }

    /** The lists of {@link Backend#sgdSteps} line up (each tensor's shapes are checked by {@link #sgdStep}). */
    public static void sgdSteps(java.util.List<Tensor> params, java.util.List<Tensor> grads, java.util.List<Tensor> momentumBufs,
                                boolean[] firstStep, float momentum) {
        int n = params.size();
        if (momentum != 0f && momentumBufs == null)
            throw new IllegalArgumentException("sgdSteps: momentum " + momentum + " needs the momentum buffers (got none)");
        if (grads.size() != n || firstStep.length != n || (momentumBufs != null && momentumBufs.size() != n))
            throw new IllegalArgumentException("sgdSteps: " + n + " params but " + grads.size() + " grads, "
                    + (momentumBufs == null ? "no" : String.valueOf(momentumBufs.size())) + " momentum buffers and "
                    + firstStep.length + " first-step flags");
    }

    public static void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, int step) {
        String op = "adamStep";
        sameShape(op, "grad", param, grad);
        sameShape(op, "m", param, m);
        sameShape(op, "v", param, v);
        if (step < 1) throw new IllegalArgumentException(op + ": step must be >= 1 (bias correction), got " + step);
    }

    // ---------------------------------------------------------------- RePr

    /** Returns the number of rows of t. */
    public static int scaleRows(Tensor t, Tensor rowScale) {
        String op = "scaleRows";
        int rows = rows(op, t);
        shape(op, "rowScale", Shape.of(rows), rowScale);
        return rows;
    }

    /** Returns the number of filters J (rows of w). */
    public static int orthoScores(Tensor w, OrthoOptions options, Tensor scores) {
        String op = "orthoScores";
        if (options == null) throw new IllegalArgumentException(op + ": options are null");
        int j = rows(op, w);
        shape(op, "scores", Shape.of(j), scores);
        return j;
    }

    /** Returns the row length L; every index must name a row of src / dst. */
    public static int rowMove(String op, Tensor rowsOf, int[] rows, Tensor packed) {
        if (rows == null) throw new IllegalArgumentException(op + ": rows are null");
        int r = rows(op, rowsOf);
        int len = r == 0 ? 0 : rowsOf.numel() / r;
        notNull(op, "packed", packed);
        if (packed.numel() != rows.length * len)
            throw new ShapeMismatchException(op, rows.length + " rows of " + len + " floats do not fit a tensor of shape " + packed.shape());
        for (int i : rows) if (i < 0 || i >= r) throw new IllegalArgumentException(op + ": row " + i + " is outside [0, " + r + ")");
        return len;
    }

    /** Checks a null-space re-initialisation request against the weight (J x D) and bias; returns D. */
    public static int reinitNullSpace(Tensor weight, Tensor bias, NullSpaceReinit.Request q) {
        String op = "reinitNullSpace";
        int j = rows(op, weight), d = weight.numel() / Math.max(1, j);
        if (bias != null) shape(op, "bias", Shape.of(j), bias);
        int m = q.dropped().length;
        shape(op, "oldRows", Shape.of(m, d), q.oldRows());
        boolean[] seen = new boolean[j];
        for (int f : q.dropped()) {
            if (f < 0 || f >= j || seen[f]) throw new IllegalArgumentException(op + ": dropped filter " + f + " is outside [0, " + j + ") or repeated");
            seen[f] = true;
        }
        for (int f : q.keptOrder())
            if (f < 0 || f >= j || seen[f]) throw new IllegalArgumentException(op + ": kept filter " + f + " is outside [0, " + j + "), dropped or repeated");
            else seen[f] = true;
        if (q.budget() < 0 || q.budget() > d) throw new IllegalArgumentException(op + ": budget " + q.budget() + " is outside [0, " + d + "]");
        return d;
    }
}
