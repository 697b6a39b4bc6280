package org.reaper.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.backend.cuda.CudaBackend;
import org.reaper.backend.cuda.CudaDriver;
import org.reaper.backend.cuda.CudaEmulator;
import org.reaper.backend.cuda.CudaProbe;

/**
 * The backends every op test runs against: the CPU backend with 1 and 2 threads, plus CUDA: a real
 * GPU where the NVIDIA driver is installed, else the CPU stand-in for the driver where it was built
 * (CI), so the CUDA column always runs somewhere. {@code -Dreaper.test.cuda=system|emulated|none}
 * forces the choice. Where neither is usable the probe's reason is printed once and CUDA is left
 * out; tests that need CUDA alone skip with a printed reason.
 * Use as a JUnit {@code @MethodSource("org.reaper.backend.TestBackends#all")}.
 */
public final class TestBackends {
    private static List<Backend> backends;
    private static CudaDriver testDriver;
    private static boolean driverChosen;

    private TestBackends() {}

    /** Picks this test JVM's CUDA driver (once, before anything touches JCuda); null for none. */
    public static synchronized CudaDriver cudaDriver() {
        if (!driverChosen) {
            driverChosen = true;
            String want = System.getProperty("reaper.test.cuda", "auto");
            testDriver = switch (want) {
                case "none" -> null;
                case "system" -> CudaDriver.SYSTEM;
                case "emulated" -> CudaDriver.EMULATED;
                default -> CudaDriver.systemLibraryPresent() || !CudaEmulator.built() ? CudaDriver.SYSTEM : CudaDriver.EMULATED;
            };
            if (testDriver != null) CudaDriver.use(testDriver);
            System.out.println("TestBackends: CUDA tests use " + (testDriver == null ? "no driver (-Dreaper.test.cuda=none)"
                    : testDriver == CudaDriver.EMULATED ? "the CPU stand-in for the driver (cuda-emulated)" : "the system's CUDA driver"));
        }
        return testDriver;
    }

    public static synchronized List<Backend> list() {
        if (backends == null) {
            backends = new ArrayList<>();
            backends.add(new CpuBackend(1));
            backends.add(new CpuBackend(2));
            Backend cuda = cuda();
            if (cuda != null) backends.add(cuda);
        }
        return backends;
    }

    public static Stream<Backend> all() { return list().stream(); }

    private static Backend cudaBackend;
    private static boolean cudaTried;

    /** The CUDA backend (a GPU or the stand-in), or null with the reason printed. */
    public static synchronized Backend cuda() {
        if (!cudaTried) {
            cudaTried = true;
            if (cudaDriver() == null) return null;
            CudaProbe.Report probe = CudaProbe.get();
            if (probe.usable()) cudaBackend = new CudaBackend();
            else System.out.println("TestBackends: CUDA left out: " + probe.explanation());
        }
        return cudaBackend;
    }
}
