package org.reaper.train;

/** Top-k hits and per-class counts from host logits (a NaN logit or label is never a hit, as on the device). */
final class TopK {
    final long[] hitsTop5 = new long[1];
    final long[] classSeen, classHit;

    TopK(int classes) {
        classSeen = new long[classes];
        classHit = new long[classes];
    }

    /** {@code logits} is [n, classes] row-major. */
    void add(float[] logits, float[] labels, int n) {
        int classes = classSeen.length;
        for (int i = 0; i < n; i++) {
            float lf = labels[i];
            if (!(lf >= 0 && lf < classes) || lf != (int) lf) continue;
            int label = (int) lf;
            float mine = logits[i * classes + label];
            int above = 0;
            boolean nan = Float.isNaN(mine);
            for (int c = 0; c < classes && !nan; c++) {
                float v = logits[i * classes + c];
                if (Float.isNaN(v)) nan = true;
                else if (v > mine || (v == mine && c < label)) above++;   // ties go to the lower index, as argmax/topk
            }
            classSeen[label]++;
            if (nan) continue;
            if (above < 5) hitsTop5[0]++;
            if (above == 0) classHit[label]++;
        }
    }

    double top5(long seen) { return (double) hitsTop5[0] / seen; }

    double[] perClass() {
        double[] acc = new double[classSeen.length];
        for (int c = 0; c < acc.length; c++) acc[c] = classSeen[c] == 0 ? Double.NaN : (double) classHit[c] / classSeen[c];
        return acc;
    }
}
