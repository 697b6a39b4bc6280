package org.reaper.backend.cpu;

import org.reaper.backend.ConvGeometry;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * A quick throughput probe for the GEMM and conv kernels (not a test): prints GFLOP/s with 1 and
 * 2 threads for square GEMMs and for the convolutions of c3-32-pool and resnet20 at batch 128, and
 * first one core's FMA ceiling (the rate the kernels are measured against).
 * Run: {@code java --add-modules jdk.incubator.vector -cp target/classes org.reaper.backend.cpu.GemmBench [gemm|conv|peak]}.
 */
public final class GemmBench {
    private GemmBench() {}

    public static void main(String[] args) throws InterruptedException {
        String what = args.length > 0 ? args[0] : "all";
        System.out.println("kernel: " + CpuGemm.describe());
        System.out.printf("one core's FMA ceiling: %.1f GFLOP/s (12 independent %d-lane FMA chains, no memory)%n", MachineProbe.fmaGflops(1), PeakFma.S.length());
        if (what.equals("peak")) return;
        for (int threads : new int[]{1, 2}) {
            try (CpuParallel par = new CpuParallel(threads)) {
                if (!what.equals("conv")) {
                    for (int pass = 0; pass < 2; pass++) { // the first pass only warms the JIT up
                        boolean print = pass == 1;
                        for (int s : new int[]{128, 256, 512, 1024}) gemm(par, s, s, s, false, false, print);
                        gemm(par, 512, 512, 512, true, false, print);
                        gemm(par, 512, 512, 512, false, true, print);
                        gemm(par, 32, 1024, 288, false, false, print); // c3-32-pool conv2 forward, one image
                    }
                }
            }
            if (!what.equals("gemm")) {
                try (CpuBackend be = new CpuBackend(threads)) {
                    ConvGeometry[] layers = {
                            new ConvGeometry(128, 3, 32, 32, 32, 3, 3, 1, 1, 1, 1),   // c3-32-pool
                            new ConvGeometry(128, 32, 16, 16, 32, 3, 3, 1, 1, 1, 1),
                            new ConvGeometry(128, 32, 8, 8, 32, 3, 3, 1, 1, 1, 1),
                            new ConvGeometry(128, 16, 32, 32, 16, 3, 3, 1, 1, 1, 1),  // resnet20 stages
                            new ConvGeometry(128, 16, 32, 32, 32, 3, 3, 2, 2, 1, 1),
                            new ConvGeometry(128, 32, 16, 16, 32, 3, 3, 1, 1, 1, 1),
                            new ConvGeometry(128, 32, 16, 16, 64, 3, 3, 2, 2, 1, 1),
                            new ConvGeometry(128, 64, 8, 8, 64, 3, 3, 1, 1, 1, 1),
                    };
                    for (int pass = 0; pass < 2; pass++) // the first pass only warms the JIT up
                        for (ConvGeometry g : layers) conv(be, g, pass == 1);
                }
            }
        }
    }

    private static void gemm(CpuParallel par, int m, int n, int k, boolean ta, boolean tb, boolean print) {
        float[] a = random(m * k, 1), b = random(k * n, 2), c = new float[m * n];
        Runnable op = () -> CpuGemm.gemm(par, ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n);
        double sec = time(op, 2.0 * m * n * k);
        if (print) System.out.printf("threads=%d gemm %s%s M=%d N=%d K=%d: %.1f GFLOP/s%n", par.threads(), ta ? "T" : "N", tb ? "T" : "N",
                m, n, k, 2.0 * m * n * k / sec / 1e9);
    }

    private static void conv(CpuBackend be, ConvGeometry g, boolean print) {
        Tensor x = be.fromHost(random(g.inputShape().numel(), 3), g.inputShape());
        Tensor w = be.fromHost(random(g.weightShape().numel(), 4), g.weightShape());
        Tensor bias = be.fromHost(random(g.outChannels(), 5), g.biasShape());
        Tensor y = be.empty(g.outputShape()), dx = be.empty(g.inputShape()), dw = be.empty(g.weightShape());
        Tensor db = be.empty(Shape.of(g.outChannels()));
        double flops = 2.0 * g.macs();
        double f = time(() -> be.conv2dForward(x, w, bias, y, g), flops);
        double d = time(() -> be.conv2dBackwardData(y, w, dx, g), flops);
        double fi = time(() -> be.conv2dBackwardFilter(x, y, dw, db, g), flops);
        if (print) System.out.printf("threads=%d conv %dx%dx%dx%d -> %d k%d s%d: fwd %.2f ms (%.1f GF/s), bwd-data %.2f ms (%.1f), bwd-filter %.2f ms (%.1f)%n",
                be.threads(), g.batch(), g.inChannels(), g.inH(), g.inW(), g.outChannels(), g.kernelH(), g.strideH(),
                f * 1e3, flops / f / 1e9, d * 1e3, flops / d / 1e9, fi * 1e3, flops / fi / 1e9);
        for (Tensor t : new Tensor[]{x, w, bias, y, dx, dw, db}) t.close();
    }

    /** Median seconds per call after a warm-up, with enough repetitions for ~0.3 s per sample batch. */
    private static double time(Runnable op, double flops) {
        for (int i = 0; i < 3; i++) op.run();
        long t0 = System.nanoTime();
        op.run();
        double once = Math.max(1e-6, (System.nanoTime() - t0) / 1e9);
        int reps = (int) Math.max(1, Math.min(200, 0.15 / once));
        double[] samples = new double[5];
        for (int s = 0; s < samples.length; s++) {
            long st = System.nanoTime();
            for (int r = 0; r < reps; r++) op.run();
            samples[s] = (System.nanoTime() - st) / 1e9 / reps;
        }
        java.util.Arrays.sort(samples);
        return samples[samples.length / 2];
    }

    private static float[] random(int n, long seed) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = org.reaper.rng.Philox.uniform(seed, 0, i) - 0.5f;
        return a;
    }
}
