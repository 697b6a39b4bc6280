package org.reaper.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.reaper.backend.cpu.CpuBackend;

/**
 * The backends every op test runs against: the CPU backend with 1 and 2 threads, plus CUDA where a
 * usable GPU is present (tests that need CUDA alone skip with a printed reason elsewhere).
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
        }
        return backends;
    }

    public static Stream<Backend> all() { return list().stream(); }
}
