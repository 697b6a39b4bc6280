package org.reaper.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.Supplier;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.OpsKit;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * Finite-difference gradient checker for float32 kernels: the analytic gradient of the random
 * projection L = sum(r * f(inputs)) (backward seeded with r) against central differences of L,
 * which is accumulated in double on the host. Each input element is perturbed in place by +-eps.
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * @param forward re-runs the op from the current values of {@code checked} (and any other inputs)
     * @param tol     max |analytic - numeric| allowed, relative to the largest |numeric| of that input
     */
    public static void check(String what, Backend b, List<Variable> checked, Supplier<Variable> forward, float eps, double tol) {
        float[] r;
        float[][] analytic = new float[checked.size()][];
        try (TensorScope s = TensorScope.open(); Tape tape = Tape.record()) {
            Variable y = forward.get();
            r = OpsKit.randomFloats(what + "/projection", y.value().numel(), -1f, 1f);
            Tensor seed = b.fromHost(r, y.shape());
            tape.backward(b, y, seed);
            for (int k = 0; k < checked.size(); k++) {
                Tensor g = checked.get(k).grad();
                assertNotNull(g, what + ": input " + k + " got no gradient");
                analytic[k] = b.toHost(g);
                checked.get(k).clearGrad();
            }
        }
        for (int k = 0; k < checked.size(); k++) {
            double[] numeric = numericGradient(b, checked.get(k).value(), eps, () -> projected(b, forward, r));
            double scale = 0;
            for (double v : numeric) scale = Math.max(scale, Math.abs(v));
            double floor = Math.max(scale, 1e-4);
            for (int i = 0; i < numeric.length; i++) {
                double err = Math.abs(analytic[k][i] - numeric[i]);
                if (!(err <= tol * floor))
                    fail(what + " on " + b + ": d/d input" + k + "[" + i + "] analytic " + analytic[k][i] + " vs numeric " + numeric[i]
                            + " (|err| " + err + " > " + tol + " * " + floor + ")");
            }
        }
    }

    /**
     * Central differences of {@code loss} with respect to every element of {@code t}, perturbing it in
     * place by +-eps on the backend (and restoring it).
     */
    public static double[] numericGradient(Backend b, Tensor t, float eps, java.util.function.DoubleSupplier loss) {
        return numericGradient(b, t, eps, loss, null);
    }

    /** As above, for the listed elements only (null: all); the others are NaN. */
    public static double[] numericGradient(Backend b, Tensor t, float eps, java.util.function.DoubleSupplier loss, int[] indices) {
        float[] x = b.toHost(t);
        double[] numeric = new double[x.length];
        if (indices != null) java.util.Arrays.fill(numeric, Double.NaN);
        int count = indices == null ? x.length : indices.length;
        for (int j = 0; j < count; j++) {
            int i = indices == null ? j : indices[j];
            float orig = x[i];
            x[i] = orig + eps; b.upload(x, t);
            double plus = loss.getAsDouble();
            x[i] = orig - eps; b.upload(x, t);
            double minus = loss.getAsDouble();
            x[i] = orig; b.upload(x, t);
            numeric[i] = (plus - minus) / (2.0 * eps);
        }
        return numeric;
    }

    /** L = sum(r * f) in double, without recording. */
    static double projected(Backend b, Supplier<Variable> forward, float[] r) {
        try (TensorScope s = TensorScope.open(); AutoCloseable ng = Tape.noGrad()) {
            float[] y = b.toHost(forward.get().value());
            double sum = 0;
            for (int i = 0; i < y.length; i++) sum += (double) r[i] * y[i];
            return sum;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf Variable requiring a gradient, holding Philox-random values in [lo, hi), allocated outside any scope. */
    public static Variable leaf(Backend b, String label, float lo, float hi, int... dims) {
        return new Variable(b.fromHost(OpsKit.randomFloats(label, org.reaper.tensor.Shape.of(dims).numel(), lo, hi), org.reaper.tensor.Shape.of(dims)), true);
    }

    /** Distinct values spaced by {@code step} in shuffled order, so no max or ReLU kink lies within +-step/2 of another. */
    public static Variable distinctLeaf(Backend b, String label, float step, int... dims) {
        int n = org.reaper.tensor.Shape.of(dims).numel();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        new org.reaper.rng.RandomStream(OpsKit.seed(label)).shuffle(perm);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (perm[i] - n / 2 + 0.5f) * step;
        return new Variable(b.fromHost(v, org.reaper.tensor.Shape.of(dims)), true);
    }
}
