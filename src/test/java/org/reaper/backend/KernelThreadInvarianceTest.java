package org.reaper.backend;

import static org.reaper.backend.OpsKit.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** Batch norm, pooling, loss and optimizer results are bit-identical with 1, 2 and 3 CPU threads. */
class KernelThreadInvarianceTest {
    private static List<float[]> run(int threads) {
        List<float[]> out = new ArrayList<>();
        int n = 8, c = 6, h = 12, w = 10;
        float[] x = randomFloats("inv-x", n * c * h * w, -1, 3), dy = randomFloats("inv-dy", n * c * h * w, -1, 1);
        try (Backend b = new CpuBackend(threads); TensorScope scope = TensorScope.open()) {
            Tensor tx = upload(b, x, n, c, h, w), tdy = upload(b, dy, n, c, h, w);
            Tensor g = b.fromHost(randomFloats("inv-g", c, 0.5f, 1.5f), Shape.of(c)), be = b.zeros(Shape.of(c));
            Tensor rm = b.zeros(Shape.of(c)), rv = b.zeros(Shape.of(c)), sm = b.empty(Shape.of(c)), sis = b.empty(Shape.of(c));
            Tensor y = b.empty(tx.shape()), dx = b.empty(tx.shape()), dg = b.empty(Shape.of(c)), db = b.empty(Shape.of(c));
            b.batchNormTrain(tx, g, be, rm, rv, 0.1f, 1e-5f, y, sm, sis);
            b.batchNormBackward(tx, tdy, g, sm, sis, dx, dg, db);
            for (Tensor t : new Tensor[] {y, rm, rv, sm, sis, dx, dg, db}) out.add(b.toHost(t));
            // fewer channels than threads, several work units per channel: the other scheduling of batch norm
            int n2 = 5, c2 = 2, hw2 = 64 * 80;
            Tensor x2 = upload(b, randomFloats("inv-x2", n2 * c2 * hw2, -1, 3), n2, c2, 64, 80);
            Tensor dy2 = upload(b, randomFloats("inv-dy2", n2 * c2 * hw2, -1, 1), n2, c2, 64, 80);
            Tensor g2 = b.fromHost(randomFloats("inv-g2", c2, 0.5f, 1.5f), Shape.of(c2)), be2 = b.zeros(Shape.of(c2));
            Tensor rm2 = b.zeros(Shape.of(c2)), rv2 = b.zeros(Shape.of(c2)), sm2 = b.empty(Shape.of(c2)), sis2 = b.empty(Shape.of(c2));
            Tensor y2 = b.empty(x2.shape()), dx2 = b.empty(x2.shape()), dg2 = b.empty(Shape.of(c2)), db2 = b.empty(Shape.of(c2));
            b.batchNormTrain(x2, g2, be2, rm2, rv2, 0.1f, 1e-5f, y2, sm2, sis2);
            b.batchNormBackward(x2, dy2, g2, sm2, sis2, dx2, dg2, db2);
            for (Tensor t : new Tensor[] {y2, rv2, sm2, sis2, dx2, dg2, db2}) out.add(b.toHost(t));

            PoolGeometry pg = PoolGeometry.of(tx.shape(), 3, 2, 1);
            Tensor py = b.empty(pg.outputShape()), pat = b.empty(pg.outputShape()), pdx = b.empty(tx.shape());
            b.maxPool2dForward(tx, py, pat, pg);
            b.maxPool2dBackward(pat, py, pdx, pg);
            out.add(b.toHost(pat));
            out.add(b.toHost(pdx));
            b.avgPool2dForward(tx, py, pg);
            b.avgPool2dBackward(py, pdx, pg);
            out.add(b.toHost(pdx));

            Tensor logits = tx.reshape(n * 12, c * h * w / 12), labels = b.zeros(Shape.of(n * 12));
            Tensor probs = b.empty(logits.shape()), loss = b.empty(Shape.of(n * 12)), dl = b.empty(logits.shape());
            b.softmaxCrossEntropy(logits, labels, 0.1f, probs, loss);
            b.softmaxCrossEntropyBackward(probs, labels, 0.1f, 0.5f, dl);
            out.add(b.toHost(loss));
            out.add(b.toHost(dl));

            Tensor buf = b.empty(tx.shape());
            b.sgdStep(tx, tdy, buf, 0.1f, 0.9f, 0f, 1e-4f, true, true);
            b.sgdStep(tx, tdy, buf, 0.1f, 0.9f, 0f, 1e-4f, true, false);
            out.add(b.toHost(tx));
        }
        return out;
    }

    @Test void cpuResultsAreBitIdenticalAcrossThreadCounts() {
        List<float[]> one = run(1);
        for (int t = 2; t <= 3; t++) {
            List<float[]> other = run(t);
            for (int i = 0; i < one.size(); i++) assertBitEqual("output " + i + " with " + t + " threads vs 1", one.get(i), other.get(i));
        }
    }
}
