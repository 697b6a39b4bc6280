package org.reaper.backend.cpu;

import java.util.Arrays;
import org.reaper.backend.PoolGeometry;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * A quick timing probe for the non-GEMM kernels (not a test): prints the median milliseconds of each
 * kernel on the resnet20 and c3-32-pool shapes at batch 128, with 1 and 2 threads.
 * Run: {@code java --add-modules jdk.incubator.vector -cp target/classes org.reaper.backend.cpu.OpsBench [filter]}
 * (the optional filter keeps only the lines whose name contains it).
 */
public final class OpsBench {
    private static final int RUNS = 20;

    private OpsBench() {}

    public static void main(String[] args) {
        String filter = args.length > 0 ? args[0] : "";
        for (int threads : new int[]{1, 2}) {
            try (CpuBackend be = new CpuBackend(threads)) {
                for (int pass = 0; pass < 2; pass++) run(be, filter, pass == 1); // pass 0 warms the JIT up
            }
        }
    }

    private static void run(CpuBackend be, String filter, boolean print) {
        Bench b = new Bench(be, filter, print);
        for (int[] s : new int[][]{{128, 16, 32, 32}, {128, 32, 16, 16}, {128, 64, 8, 8}, {128, 32, 32, 32}}) batchNorm(b, s);
        maxPool(b, new int[]{128, 32, 32, 32});
        maxPool(b, new int[]{128, 16, 32, 32});
        maxPool(b, new int[]{128, 32, 16, 16});
        avgPool(b, PoolGeometry.global(Shape.of(128, 64, 8, 8)));
        avgPool(b, PoolGeometry.of(Shape.of(128, 32, 32, 32), 2, 2, 0));
        Shape big = Shape.of(128, 16, 32, 32);
        Tensor x = random(be, big, 1), dy = random(be, big, 2), y = be.empty(big), dx = be.empty(big), mask = be.empty(big);
        b.time("relu " + big, () -> be.relu(x, y));
        b.time("reluBackward " + big, () -> be.reluBackward(y, dy, dx));
        b.time("add " + big, () -> be.add(x, dy, dx));
        b.time("mul " + big, () -> be.mul(x, dy, dx));
        b.time("axpy " + big, () -> be.axpy(0.5f, x, dx));
        b.time("sum " + big, () -> be.sum(x));
        b.time("dropout p=0.5 " + big, () -> be.dropoutForward(x, 0.5f, 7, 0, mask, y));
        b.time("fillNormal " + big, () -> be.fillNormal(y, 0f, 1f, 7, 0));
        b.time("fillUniform " + big, () -> be.fillUniform(y, -1f, 1f, 7, 0));
        Shape logits = Shape.of(128, 10);
        Tensor lg = random(be, logits, 3), labels = be.zeros(Shape.of(128)), probs = be.empty(logits);
        Tensor loss = be.empty(Shape.of(128)), dl = be.empty(logits);
        b.time("softmaxCE+backward " + logits, () -> {
            be.softmaxCrossEntropy(lg, labels, 0.1f, probs, loss);
            be.softmaxCrossEntropyBackward(probs, labels, 0.1f, 1f / 128, dl);
        });
    }

    private static void batchNorm(Bench b, int[] dims) {
        CpuBackend be = b.be;
        Shape s = Shape.of(dims), cs = Shape.of(dims[1]);
        Tensor x = random(be, s, 4), dy = random(be, s, 5), y = be.empty(s), dx = be.empty(s);
        Tensor g = be.fromHost(filled(dims[1], 1f), cs), beta = be.zeros(cs), rm = be.zeros(cs), rv = be.fromHost(filled(dims[1], 1f), cs);
        Tensor sm = be.empty(cs), sis = be.empty(cs), dg = be.empty(cs), db = be.empty(cs);
        b.time("bnTrain " + s, () -> be.batchNormTrain(x, g, beta, rm, rv, 0.1f, 1e-5f, y, sm, sis));
        b.time("bnBackward " + s, () -> be.batchNormBackward(x, dy, g, sm, sis, dx, dg, db));
        b.time("bnEval " + s, () -> be.batchNormEval(x, g, beta, rm, rv, 1e-5f, y));
    }

    private static void maxPool(Bench b, int[] dims) {
        CpuBackend be = b.be;
        Shape s = Shape.of(dims);
        PoolGeometry pg = PoolGeometry.of(s, 2, 2, 0);
        Tensor x = random(be, s, 6), y = be.empty(pg.outputShape()), at = be.empty(pg.outputShape()), dx = be.empty(s);
        b.time("maxPoolFwd 2x2/2 " + s, () -> be.maxPool2dForward(x, y, at, pg));
        b.time("maxPoolBwd 2x2/2 " + s, () -> be.maxPool2dBackward(at, y, dx, pg));
        PoolGeometry p3 = PoolGeometry.of(s, 3, 2, 1);
        Tensor y3 = be.empty(p3.outputShape()), at3 = be.empty(p3.outputShape());
        b.time("maxPoolFwd 3x3/2p1 " + s, () -> be.maxPool2dForward(x, y3, at3, p3));
        b.time("maxPoolBwd 3x3/2p1 " + s, () -> be.maxPool2dBackward(at3, y3, dx, p3));
    }

    private static void avgPool(Bench b, PoolGeometry pg) {
        CpuBackend be = b.be;
        Tensor x = random(be, pg.inputShape(), 7), y = be.empty(pg.outputShape()), dx = be.empty(pg.inputShape());
        String name = pg.kernelH() + "x" + pg.kernelW() + "/" + pg.strideH() + " " + pg.inputShape();
        b.time("avgPoolFwd " + name, () -> be.avgPool2dForward(x, y, pg));
        b.time("avgPoolBwd " + name, () -> be.avgPool2dBackward(y, dx, pg));
    }

    /** Times one kernel: median of RUNS calls after two warm-up calls. */
    private record Bench(CpuBackend be, String filter, boolean print) {
        void time(String name, Runnable op) {
            if (!name.contains(filter)) return;
            op.run();
            op.run();
            double[] ms = new double[print ? RUNS : 3];
            for (int r = 0; r < ms.length; r++) {
                long t0 = System.nanoTime();
                op.run();
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            if (print) System.out.printf("threads=%d %-44s %8.3f ms%n", be.threads(), name, ms[ms.length / 2]);
        }
    }

    private static Tensor random(CpuBackend be, Shape s, long seed) {
        Tensor t = be.empty(s);
        be.fillUniform(t, -1f, 3f, seed, 0);
        return t;
    }

    private static float[] filled(int n, float v) { float[] a = new float[n]; Arrays.fill(a, v); return a; }
}
