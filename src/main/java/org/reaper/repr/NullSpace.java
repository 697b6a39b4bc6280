package org.reaper.repr;

import java.util.ArrayList;
import java.util.List;
import org.reaper.rng.Philox;
import org.reaper.rng.RandomStream;

/**
 * Double-precision linear algebra for the re-initialisation: an orthonormal basis grown by modified
 * Gram-Schmidt with re-orthogonalisation ("twice is enough"), and random unit vectors orthogonal to it.
 */
final class NullSpace {
    /** A vector whose residual after projection is below this fraction of its norm counts as dependent. */
    static final double DEPENDENT = 1e-9;

    private final int dim;
    private final List<double[]> basis = new ArrayList<>();

    NullSpace(int dim) { this.dim = dim; }

    int rank() { return basis.size(); }

    /** A copy of the newest basis vector. */
    double[] lastAdded() { return basis.get(basis.size() - 1).clone(); }

    int dim() { return dim; }

    /** Adds {@code v}'s component orthogonal to the basis; returns false (and adds nothing) when v is dependent. */
    boolean add(double[] v) {
        double n0 = norm(v);
        if (n0 == 0 || basis.size() >= dim) return false;
        double[] r = v.clone();
        project(r);
        project(r);
        double n = norm(r);
        if (n <= DEPENDENT * n0) return false;
        for (int k = 0; k < dim; k++) r[k] /= n;
        basis.add(r);
        return true;
    }

    /** Removes from {@code v} its components along the basis (in place). */
    void project(double[] v) {
        for (double[] q : basis) {
            double d = dot(q, v);
            for (int k = 0; k < dim; k++) v[k] -= d * q[k];
        }
    }

    /**
     * A unit vector orthogonal to the basis, from standard normals of {@code rng}; it joins the basis.
     * When the basis already spans the space, a plain random unit vector (not orthogonal) is returned and not added.
     */
    double[] randomOrthogonal(RandomStream rng) {
        for (int attempt = 0; attempt < 4; attempt++) {
            double[] v = normals(rng, dim);
            if (basis.size() >= dim) return unit(v);
            double[] before = v.clone();
            if (add(v)) return basis.get(basis.size() - 1).clone();
            if (attempt == 3) return unit(before);
        }
        throw new IllegalStateException("unreachable");
    }

    static double[] normals(RandomStream rng, int n) {
        long offset = rng.reserve(Philox.blocksForNormal(n));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Philox.normal(rng.seed(), offset, i);
        return v;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) s += a[k] * b[k];
        return s;
    }

    static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    static double[] unit(double[] a) {
        double n = norm(a);
        double[] u = a.clone();
        if (n > 0) for (int k = 0; k < u.length; k++) u[k] /= n;
        return u;
    }

    /** |cos| between a and b (0 when either is zero). */
    static double absCos(double[] a, double[] b) {
        double na = norm(a), nb = norm(b);
        return na == 0 || nb == 0 ? 0 : Math.abs(dot(a, b)) / (na * nb);
    }
}
