package org.reaper.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.reaper.backend.Backend;
import org.reaper.backend.Backends;
import org.reaper.backend.cuda.CudaBackend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * {@code reaper bench --ceilings}: the floors a step is measured against: bytes per second of a device-to-device
 * copy (read + written) and FLOP/s of an N x N x N SGEMM through each provider (own FP32, TF32 tensor cores and
 * cuBLAS where they run).
 */
final class DeviceCeilings {
    private DeviceCeilings() {}

    /** The measurements by name (device, copy_gb_per_s, gemm_size, sgemm_gflops, gemm_providers, tf32_gflops). */
    static Map<String, Object> measure(String device, int threads, int gemmSize, int copyMib, int runs) {
        Map<String, Object> r = new LinkedHashMap<>();
        try (Backend b = Backends.create(device, threads); TensorScope s = TensorScope.open()) {
            r.put("device", b.name());
            int n = copyMib * (1 << 20) / Float.BYTES;
            Tensor src = b.empty(Shape.of(n)), dst = b.empty(Shape.of(n));
            b.fill(src, 1f);
            double copyMs = timed(b, runs, () -> b.copy(src, dst));
            r.put("copy_gb_per_s", StepTiming.round(2.0 * n * Float.BYTES / copyMs / 1e6));
            r.put("gemm_size", gemmSize);
            r.put("sgemm_gflops", gemmGflops(b, gemmSize, runs));
            if (b instanceof CudaBackend cb) r.put("gemm_providers", cb.providers().get("gemm"));
        }
        if (device.equals("cuda")) {   // the TF32 tensor-core kernel is a provider of its own, asked for explicitly
            try (CudaBackend tf = new CudaBackend(0, "tf32")) {
                r.put("tf32_gflops", gemmGflops(tf, gemmSize, runs));
            } catch (RuntimeException e) {
                r.put("tf32_gflops", "failed: " + e.getMessage());
            }
        }
        return r;
    }

    private static double gemmGflops(Backend b, int n, int runs) {
        try (TensorScope s = TensorScope.open()) {
            Tensor x = b.empty(Shape.of(n, n)), c = b.empty(Shape.of(n, n));
            b.fill(x, 0.5f);
            double flops = 2.0 * n * (double) n * n;
            return StepTiming.round(flops / timed(b, runs, () -> b.gemm(false, false, 1f, x, x, 0f, c)) / 1e6);
        }
    }

    /** Median milliseconds of {@code runs} runs after one untimed run, the device synchronised around each. */
    private static double timed(Backend b, int runs, Runnable run) {
        run.run();
        b.synchronize();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            run.run();
            b.synchronize();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return StepTiming.percentile(StepTiming.sorted(ms), 50);
    }
}
