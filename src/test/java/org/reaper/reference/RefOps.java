package org.reaper.reference;

/**
 * Slow, obviously-correct float64 reference loops for the non-GEMM kernels, forward and backward.
 * Layouts match the Backend contract: NCHW row-major; labels are class indices.
 */
public final class RefOps {
    private RefOps() {}

    // ------------------------------------------------------------------ batch norm
    /** Training-mode forward: returns {y, mean[C], invStd[C], biasedVar[C]}. */
    public static double[][] batchNormTrain(double[] x, int n, int c, int hw, double[] gamma, double[] beta, double eps) {
        double[] mean = new double[c], var = new double[c], invStd = new double[c], y = new double[x.length];
        double m = (double) n * hw;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) s += x[(i * c + ch) * hw + k];
            mean[ch] = s / m;
            double q = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) { double d = x[(i * c + ch) * hw + k] - mean[ch]; q += d * d; }
            var[ch] = q / m;
            invStd[ch] = 1 / Math.sqrt(var[ch] + eps);
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) {
                int idx = (i * c + ch) * hw + k;
                y[idx] = (x[idx] - mean[ch]) * invStd[ch] * gamma[ch] + beta[ch];
            }
        }
        return new double[][] {y, mean, invStd, var};
    }

    /** PyTorch running-statistics update: returns {newRunningMean, newRunningVar} (variance unbiased). */
    public static double[][] batchNormRunning(double[] rm, double[] rv, double[] mean, double[] biasedVar, long count, double momentum) {
        double[] m2 = new double[rm.length], v2 = new double[rv.length];
        for (int ch = 0; ch < rm.length; ch++) {
            m2[ch] = (1 - momentum) * rm[ch] + momentum * mean[ch];
            v2[ch] = (1 - momentum) * rv[ch] + momentum * biasedVar[ch] * count / (count - 1);
        }
        return new double[][] {m2, v2};
    }

    public static double[] batchNormEval(double[] x, int n, int c, int hw, double[] gamma, double[] beta, double[] rm, double[] rv, double eps) {
        double[] y = new double[x.length];
        for (int i = 0; i < n; i++) for (int ch = 0; ch < c; ch++) for (int k = 0; k < hw; k++) {
            int idx = (i * c + ch) * hw + k;
            y[idx] = (x[idx] - rm[ch]) / Math.sqrt(rv[ch] + eps) * gamma[ch] + beta[ch];
        }
        return y;
    }

    /** Training-mode backward: returns {dx, dgamma[C], dbeta[C]}. */
    public static double[][] batchNormBackward(double[] x, double[] dy, int n, int c, int hw, double[] gamma, double eps) {
        double[][] fwd = batchNormTrain(x, n, c, hw, gamma, new double[c], eps);
        double[] mean = fwd[1], invStd = fwd[2];
        double[] dx = new double[x.length], dg = new double[c], db = new double[c];
        double m = (double) n * hw;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) {
                int idx = (i * c + ch) * hw + k;
                db[ch] += dy[idx];
                dg[ch] += dy[idx] * (x[idx] - mean[ch]) * invStd[ch];
            }
            for (int i = 0; i < n; i++) for (int k = 0; k < hw; k++) {
                int idx = (i * c + ch) * hw + k;
                double xhat = (x[idx] - mean[ch]) * invStd[ch];
                dx[idx] = gamma[ch] * invStd[ch] / m * (m * dy[idx] - db[ch] - xhat * dg[ch]);
            }
        }
        return new double[][] {dx, dg, db};
    }

    // ------------------------------------------------------------------ relu
    public static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
        return y;
    }

    public static double[] reluBackward(double[] y, double[] dy) {
        double[] dx = new double[y.length];
        for (int i = 0; i < y.length; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
        return dx;
    }

    // ------------------------------------------------------------------ pooling
    /** Window description: input n,c,h,w; kernel kh,kw; stride sh,sw; padding ph,pw. */
    public record Pool(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        public int oh() { return (h + 2 * ph - kh) / sh + 1; }
        public int ow() { return (w + 2 * pw - kw) / sw + 1; }
    }

    /** Flat input index of the first maximal element of window (plane, oy, ox), scanning row-major. */
    public static int maxPoolArgMax(double[] x, Pool p, int plane, int oy, int ox) {
        int best = -1;
        double bestV = Double.NEGATIVE_INFINITY;
        for (int ky = 0; ky < p.kh(); ky++) for (int kx = 0; kx < p.kw(); kx++) {
            int iy = oy * p.sh() - p.ph() + ky, ix = ox * p.sw() - p.pw() + kx;
            if (iy < 0 || iy >= p.h() || ix < 0 || ix >= p.w()) continue;
            int idx = (plane * p.h() + iy) * p.w() + ix;
            if (best < 0 || x[idx] > bestV) { best = idx; bestV = x[idx]; }
        }
        return best;
    }

    public static double[] maxPool(double[] x, Pool p) {
        double[] y = new double[p.n() * p.c() * p.oh() * p.ow()];
        for (int pl = 0; pl < p.n() * p.c(); pl++)
            for (int oy = 0; oy < p.oh(); oy++) for (int ox = 0; ox < p.ow(); ox++)
                y[(pl * p.oh() + oy) * p.ow() + ox] = x[maxPoolArgMax(x, p, pl, oy, ox)];
        return y;
    }

    public static double[] maxPoolBackward(double[] x, double[] dy, Pool p) {
        double[] dx = new double[x.length];
        for (int pl = 0; pl < p.n() * p.c(); pl++)
            for (int oy = 0; oy < p.oh(); oy++) for (int ox = 0; ox < p.ow(); ox++)
                dx[maxPoolArgMax(x, p, pl, oy, ox)] += dy[(pl * p.oh() + oy) * p.ow() + ox];
        return dx;
    }

    /** Average over the window, padded zeros included in the count (count_include_pad=True). */
    public static double[] avgPool(double[] x, Pool p) {
        double[] y = new double[p.n() * p.c() * p.oh() * p.ow()];
        for (int pl = 0; pl < p.n() * p.c(); pl++)
            for (int oy = 0; oy < p.oh(); oy++) for (int ox = 0; ox < p.ow(); ox++) {
                double s = 0;
                for (int ky = 0; ky < p.kh(); ky++) for (int kx = 0; kx < p.kw(); kx++) {
                    int iy = oy * p.sh() - p.ph() + ky, ix = ox * p.sw() - p.pw() + kx;
                    if (iy >= 0 && iy < p.h() && ix >= 0 && ix < p.w()) s += x[(pl * p.h() + iy) * p.w() + ix];
                }
                y[(pl * p.oh() + oy) * p.ow() + ox] = s / (p.kh() * p.kw());
            }
        return y;
    }

    public static double[] avgPoolBackward(double[] dy, Pool p) {
        double[] dx = new double[p.n() * p.c() * p.h() * p.w()];
        for (int pl = 0; pl < p.n() * p.c(); pl++)
            for (int oy = 0; oy < p.oh(); oy++) for (int ox = 0; ox < p.ow(); ox++)
                for (int ky = 0; ky < p.kh(); ky++) for (int kx = 0; kx < p.kw(); kx++) {
                    int iy = oy * p.sh() - p.ph() + ky, ix = ox * p.sw() - p.pw() + kx;
                    if (iy >= 0 && iy < p.h() && ix >= 0 && ix < p.w())
                        dx[(pl * p.h() + iy) * p.w() + ix] += dy[(pl * p.oh() + oy) * p.ow() + ox] / (p.kh() * p.kw());
                }
        return dx;
    }

    // ------------------------------------------------------------------ softmax cross-entropy
    /** Smoothed target distribution of one row. */
    public static double[] target(int label, int c, double s) {
        double[] t = new double[c];
        for (int j = 0; j < c; j++) t[j] = s / c + (j == label ? 1 - s : 0);
        return t;
    }

    /** Returns {probs[N*C], loss[N]}. */
    public static double[][] softmaxCrossEntropy(double[] logits, int[] labels, int n, int c, double s) {
        double[] probs = new double[n * c], loss = new double[n];
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, logits[r * c + j]);
            double z = 0;
            for (int j = 0; j < c; j++) z += Math.exp(logits[r * c + j] - max);
            double[] t = target(labels[r], c, s);
            for (int j = 0; j < c; j++) {
                double logp = logits[r * c + j] - max - Math.log(z);
                probs[r * c + j] = Math.exp(logp);
                loss[r] -= t[j] * logp;
            }
        }
        return new double[][] {probs, loss};
    }

    public static double[] softmaxCrossEntropyBackward(double[] probs, int[] labels, int n, int c, double s, double scale) {
        double[] d = new double[n * c];
        for (int r = 0; r < n; r++) {
            double[] t = target(labels[r], c, s);
            for (int j = 0; j < c; j++) d[r * c + j] = scale * (probs[r * c + j] - t[j]);
        }
        return d;
    }

    public static int countCorrect(double[] logits, int[] labels, int n, int c) {
        int ok = 0;
        for (int r = 0; r < n; r++) {
            int best = 0;
            for (int j = 1; j < c; j++) if (logits[r * c + j] > logits[r * c + best]) best = j;
            if (best == labels[r]) ok++;
        }
        return ok;
    }

    // ------------------------------------------------------------------ optimizers (one step, in place)
    /** torch.optim.SGD for one tensor; buf may be null when momentum is 0. */
    public static void sgdStep(double[] p, double[] g, double[] buf, double lr, double momentum, double dampening,
                               double wd, boolean nesterov, boolean first) {
        for (int i = 0; i < p.length; i++) {
            double d = g[i] + wd * p[i];
            if (momentum != 0) {
                buf[i] = first ? d : momentum * buf[i] + (1 - dampening) * d;
                d = nesterov ? d + momentum * buf[i] : buf[i];
            }
            p[i] -= lr * d;
        }
    }

    /** torch.optim.Adam (L2) or AdamW (decoupled) for one tensor at step t >= 1. */
    public static void adamStep(double[] p, double[] g, double[] m, double[] v, double lr, double b1, double b2, double eps,
                                double wd, boolean decoupled, int t) {
        for (int i = 0; i < p.length; i++) {
            double gi = g[i];
            if (decoupled) p[i] *= 1 - lr * wd;
            else gi += wd * p[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
            p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    // ------------------------------------------------------------------ RePr
    public static double[] scaleRows(double[] t, int rows, double[] scale) {
        double[] out = t.clone();
        int len = t.length / rows;
        for (int r = 0; r < rows; r++) for (int k = 0; k < len; k++) out[r * len + k] *= scale[r];
        return out;
    }

    /** Orthogonality scores of the J rows of w (J x D); perFilter: cosine Gram, else Frobenius-normalised W. */
    public static double[] orthoScores(double[] w, int j, int d, boolean perFilter, boolean absPerElement) {
        double[] u = w.clone();
        if (perFilter) {
            for (int f = 0; f < j; f++) {
                double nrm = 0;
                for (int k = 0; k < d; k++) nrm += u[f * d + k] * u[f * d + k];
                nrm = Math.sqrt(nrm);
                for (int k = 0; k < d; k++) u[f * d + k] = nrm == 0 ? 0 : u[f * d + k] / nrm;
            }
        } else {
            double nrm = 0;
            for (double v : u) nrm += v * v;
            nrm = Math.sqrt(nrm);
            for (int i = 0; i < u.length; i++) u[i] = nrm == 0 ? 0 : u[i] / nrm;
        }
        double[] scores = new double[j];
        for (int f = 0; f < j; f++) {
            double s = 0;
            for (int o = 0; o < j; o++) {
                if (o == f) continue;
                double gfo = 0;
                for (int k = 0; k < d; k++) gfo += u[f * d + k] * u[o * d + k];
                s += absPerElement ? Math.abs(gfo) : gfo;
            }
            scores[f] = absPerElement ? s / j : Math.abs(s / j);
        }
        return scores;
    }
}
