package org.reaper.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.backend.cuda.CudaBackend;
import org.reaper.backend.cuda.CudaProbe;

/**
 * The backends every op test runs against: the CPU backend with 1 and 2 threads, plus CUDA where a
 * usable GPU is present (without one, the probe's reason is printed once and CUDA is left out;
 * tests that need CUDA alone skip with a printed reason).
 * Use as a JUnit {@code @MethodSource("org.reaper.backend.TestBackends#all")}.
 */
public final class TestBackends {
    private static List<Backend> backends;

    private TestBackends() {}

    public static synchronized List<Backend> list() {
        if (backends == null) {
            backends = new ArrayList<>();
            backends.add(new CpuBackend(1));
            backends.add(new CpuBackend(2));
            CudaProbe.Report probe = CudaProbe.get();
            if (probe.usable()) backends.add(new CudaBackend());
            else System.out.println("TestBackends: CUDA left out: " + probe.explanation());
        }
        return backends;
    }

    public static Stream<Backend> all() { return list().stream(); }

    /** The CUDA backend of {@link #list()}, or null when no usable GPU is present. */
    public static synchronized Backend cuda() {
        for (Backend b : list()) if (b instanceof CudaBackend) return b;
        return null;
    }
}
