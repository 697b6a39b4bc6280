package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.reaper.rng.Philox;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/** Helpers for backend op tests: Philox-random host data, NaN-poisoned outputs, tolerant comparison. */
public final class OpsKit {
    /** Base seed of all op-test inputs; override with -Dreaper.test.seed=N to draw other inputs. */
    public static final long BASE_SEED = Long.getLong("reaper.test.seed", 20190616L);

    private OpsKit() {}

    public static long seed(String label) { return BASE_SEED * 1_000_003L ^ label.hashCode(); }

    /** n floats uniform in [lo, hi) from Philox, none exactly zero. */
    public static float[] randomFloats(String label, int n, float lo, float hi) {
        long s = seed(label);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float v = lo + (hi - lo) * Philox.uniform(s, 0, i);
            a[i] = v == 0f ? 0.5f * (hi - lo) / n + lo : v;
            if (a[i] == 0f) a[i] = Math.ulp(hi);
        }
        return a;
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    public static Tensor upload(Backend b, float[] a, int... dims) { return b.fromHost(a, Shape.of(dims)); }

    /** A fresh tensor full of NaN, so any element a kernel forgets to write fails the comparison. */
    public static Tensor poisoned(Backend b, int... dims) {
        Tensor t = b.empty(Shape.of(dims));
        b.fill(t, Float.NaN);
        return t;
    }

    /**
     * |got - ref| <= rtol * max(|ref|, rms(ref)) element by element: relative, with the tensor's RMS
     * as the floor for elements near zero.
     */
    public static void assertClose(String what, double[] ref, float[] got, double rtol) {
        assertEquals(ref.length, got.length, what + ": length");
        double ss = 0;
        for (double v : ref) ss += v * v;
        double rms = ref.length == 0 ? 0 : Math.sqrt(ss / ref.length);
        for (int i = 0; i < ref.length; i++) {
            double tol = rtol * Math.max(Math.abs(ref[i]), rms) + Double.MIN_NORMAL;
            if (!(Math.abs(got[i] - ref[i]) <= tol))
                fail(what + "[" + i + "]: got " + got[i] + ", reference " + ref[i] + " (tolerance " + tol + ", seed base " + BASE_SEED + ")");
        }
    }

    public static void assertClose(String what, double[] ref, Backend b, Tensor got, double rtol) {
        assertClose(what + " on " + b, ref, b.toHost(got), rtol);
    }

    /** Exact float equality, for ops with no rounding freedom. */
    public static void assertBitEqual(String what, float[] expected, float[] got) {
        assertEquals(expected.length, got.length, what + ": length");
        for (int i = 0; i < expected.length; i++)
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(got[i]))
                fail(what + "[" + i + "]: expected " + expected[i] + " got " + got[i]);
    }
}
