package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;

/**
 * Batch norm over (N, H, W) per channel of an NCHW input. Training mode normalises with the batch
 * statistics, updates the running statistics in place and records a full backward (dx, dgamma,
 * dbeta). Evaluation mode uses the running statistics; its backward (when recorded at all) passes a
 * gradient to the input only, treating the statistics and the affine parameters as frozen. With
 * {@code relu} the output is max(batch norm(x), 0): the ReLU that follows most batch norms, fused so the
 * backend can do both in the same passes over the data (the function's output is the ReLU's).
 */
public final class BatchNorm2dFn extends Function {
    private final Variable x, gamma, beta;
    private final boolean training, relu;
    private Tensor y, saveMean, saveInvStd, runningVar;
    private float eps;

    private BatchNorm2dFn(Backend b, Variable x, Variable gamma, Variable beta, boolean training, boolean relu) {
        super(b, x, gamma, beta);
        this.x = x; this.gamma = gamma; this.beta = beta; this.training = training; this.relu = relu;
    }

    public static Variable apply(Backend b, Variable x, Variable gamma, Variable beta, Tensor runningMean, Tensor runningVar,
                                 float momentum, float eps, boolean training) {
        return apply(b, x, gamma, beta, runningMean, runningVar, momentum, eps, training, false);
    }

    /** As {@link #apply(Backend, Variable, Variable, Variable, Tensor, Tensor, float, float, boolean)}, then max(., 0) when {@code relu}. */
    public static Variable apply(Backend b, Variable x, Variable gamma, Variable beta, Tensor runningMean, Tensor runningVar,
                                 float momentum, float eps, boolean training, boolean relu) {
        if (x.shape().rank() != 4) throw new ShapeMismatchException("batchnorm2d", "input has shape " + x.shape() + " but an NCHW tensor was expected");
        Shape c = Shape.of(x.shape().dim(1));
        ShapeMismatchException.require("batchnorm2d", "weight (gamma)", c, gamma.shape());
        ShapeMismatchException.require("batchnorm2d", "bias (beta)", c, beta.shape());
        ShapeMismatchException.require("batchnorm2d", "running_mean", c, runningMean.shape());
        ShapeMismatchException.require("batchnorm2d", "running_var", c, runningVar.shape());
        Tensor y = b.empty(x.shape());
        BatchNorm2dFn f = new BatchNorm2dFn(b, x, gamma, beta, training, relu);
        f.eps = eps;
        f.y = y;
        if (training) {
            f.saveMean = b.empty(c);
            f.saveInvStd = b.empty(c);
            if (relu) b.batchNormReluTrain(x.value(), gamma.value(), beta.value(), runningMean, runningVar, momentum, eps, y, f.saveMean, f.saveInvStd);
            else b.batchNormTrain(x.value(), gamma.value(), beta.value(), runningMean, runningVar, momentum, eps, y, f.saveMean, f.saveInvStd);
        } else {
            f.runningVar = runningVar;
            b.batchNormEval(x.value(), gamma.value(), beta.value(), runningMean, runningVar, eps, y);
            if (relu) b.relu(y, y);
        }
        return f.finish(y);
    }

    @Override public String name() { return relu ? "batchnorm2d+relu" : "batchnorm2d"; }

    @Override protected void backward(Tensor dy) {
        if (!training) { evalBackward(dy); return; }
        Tensor dx = backend.empty(x.shape());
        Tensor dgamma = backend.empty(gamma.shape());
        Tensor dbeta = backend.empty(beta.shape());
        if (relu) backend.batchNormReluBackward(x.value(), y, dy, gamma.value(), saveMean, saveInvStd, dx, dgamma, dbeta);
        else backend.batchNormBackward(x.value(), dy, gamma.value(), saveMean, saveInvStd, dx, dgamma, dbeta);
        x.accumulateGrad(backend, dx, true);
        gamma.accumulateGrad(backend, dgamma, true);
        beta.accumulateGrad(backend, dbeta, true);
    }

    /** dx = dy * gamma / sqrt(running_var + eps): an eval-mode batch norm of dy with zero mean and zero shift. */
    private void evalBackward(Tensor dy) {
        if (!x.requiresGrad()) return;
        Tensor zeros = backend.zeros(gamma.shape());
        Tensor dx = backend.empty(x.shape());
        if (relu) {
            Tensor masked = backend.empty(dy.shape());
            backend.reluBackward(y, dy, masked);
            dy = masked;
        }
        backend.batchNormEval(dy, gamma.value(), zeros, zeros, runningVar, eps, dx);
        x.accumulateGrad(backend, dx, true);
    }
}
