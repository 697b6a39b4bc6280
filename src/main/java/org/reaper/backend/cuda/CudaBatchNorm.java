package org.reaper.backend.cuda;

import static org.reaper.backend.cuda.CudaChecks.requireSame;
import static org.reaper.backend.cuda.CudaChecks.requireShape;

import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/** Batch norm over [N, C, ...]: per-channel statistics (one block per channel), then elementwise passes. */
final class CudaBatchNorm {
    private static final int STATS_BLOCK = 512;

    private final CudaLauncher l;

    CudaBatchNorm(CudaLauncher l) { this.l = l; }

    void train(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) {
        String op = "batchNormTrain";
        Shape cs = channelShape(op, x);
        requireSame(op, "y", x, y);
        requireShape(op, "gamma", cs, gamma);
        requireShape(op, "beta", cs, beta);
        requireShape(op, "runningMean", cs, rm);
        requireShape(op, "runningVar", cs, rv);
        requireShape(op, "saveMean", cs, sm);
        requireShape(op, "saveInvStd", cs, sis);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        if ((long) n * hw < 2) throw new ShapeMismatchException(op, "training needs more than one value per channel, got input shape " + x.shape());
        l.launch(CudaKernels.BN_TRAIN_STATS, c, 1, 1, STATS_BLOCK, x, n, c, hw, momentum, eps, rm, rv, sm, sis);
        l.launchElements(CudaKernels.BN_APPLY, x.numel(), x, gamma, beta, sm, sis, n, c, hw, 0, y);
    }

    void eval(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float eps, Tensor y) {
        String op = "batchNormEval";
        Shape cs = channelShape(op, x);
        requireSame(op, "y", x, y);
        requireShape(op, "gamma", cs, gamma);
        requireShape(op, "beta", cs, beta);
        requireShape(op, "runningMean", cs, rm);
        requireShape(op, "runningVar", cs, rv);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        l.launchElements(CudaKernels.BN_EVAL_APPLY, x.numel(), x, gamma, beta, rm, rv, eps, n, c, hw, y);
    }

    void backward(Tensor x, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        String op = "batchNormBackward";
        Shape cs = channelShape(op, x);
        requireSame(op, "dy", x, dy);
        requireSame(op, "dx", x, dx);
        requireShape(op, "gamma", cs, gamma);
        requireShape(op, "saveMean", cs, sm);
        requireShape(op, "saveInvStd", cs, sis);
        requireShape(op, "dgamma", cs, dg);
        requireShape(op, "dbeta", cs, db);
        int n = x.dim(0), c = x.dim(1), hw = x.shape().sizeFrom(2);
        l.launch(CudaKernels.BN_BWD_REDUCE, c, 1, 1, STATS_BLOCK, x, dy, sm, sis, n, c, hw, dg, db);
        l.launchElements(CudaKernels.BN_BWD_DX, x.numel(), x, dy, gamma, sm, sis, dg, db, n, c, hw, dx);
    }

    private static Shape channelShape(String op, Tensor x) {
        if (x == null) throw new IllegalArgumentException(op + ": x is null");
        if (x.rank() < 2) throw new ShapeMismatchException(op, "input must be [N, C, ...], got shape " + x.shape());
        return Shape.of(x.dim(1));
    }
}
