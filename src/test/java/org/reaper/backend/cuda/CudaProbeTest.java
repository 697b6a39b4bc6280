package org.reaper.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reaper.backend.TestBackends;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.backend.Backends;

/** The probe never throws, reports one readable line per finding, and drives Backends' choice. */
class CudaProbeTest {
    @BeforeAll
    static void chooseDriver() { TestBackends.cudaDriver(); }

    private static String label() { return CudaDriver.current().device(); }

    @Test
    void probeNeverThrowsAndExplainsItself() {
        CudaProbe.Report r = assertDoesNotThrow(CudaProbe::get);
        r.lines().forEach(l -> System.out.println("CudaProbeTest: " + l));
        assertTrue(r.lines().size() >= 4, "expected kernel, driver, cublas and cudnn lines: " + r.lines());
        for (String line : r.lines()) {
            assertFalse(line.contains("\n"), "probe lines are single lines: " + line);
            assertFalse(line.contains("\tat "), "no stack traces in probe lines: " + line);
        }
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("cublas:")));
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("cudnn:")));
        if (r.usable()) {
            assertTrue(r.lines().get(0).startsWith(label() + ": usable"), r.lines().get(0));
        } else {
            assertNotNull(r.reason());
            assertNotNull(r.fix());
            assertTrue(r.lines().get(0).contains(r.reason()), r.lines().get(0));
        }
        assertTrue(CudaProbe.get() == r, "the probe runs once per JVM");
    }

    @Test
    void kernelsBuiltLineMatchesTheJar() {
        List<String> modules = CudaProbe.builtModules();
        String line = CudaProbe.get().lines().stream().filter(l -> l.startsWith("cuda kernels:")).findFirst().orElseThrow();
        if (modules.isEmpty()) assertTrue(line.contains("not built"), line);
        else {
            assertTrue(line.contains("built (" + modules.size() + " modules"), line);
            assertTrue(modules.containsAll(List.of("elementwise", "gemm", "conv", "batchnorm", "pool", "loss", "optim", "repr", "rng")), modules.toString());
        }
    }

    @Test
    void backendsFollowTheProbe() {
        CudaProbe.Report r = CudaProbe.get();
        List<String> report = Backends.report();
        assertTrue(report.stream().anyMatch(l -> l.startsWith(label() + ":")), report.toString());
        assertTrue(report.containsAll(r.lines().subList(1, r.lines().size()).stream().map(l -> "  " + l).toList()));
        if (CudaDriver.current() == CudaDriver.EMULATED) {
            assertTrue(r.usable(), r.explanation());
            assertTrue(r.lines().get(0).contains(CudaEmulator.DESCRIPTION), r.lines().get(0));
            try (Backend b = Backends.create("auto", 1)) { assertEquals("cpu", b.name(), "auto never picks the emulated device"); }
            ReaperException e = assertThrows(ReaperException.class, () -> Backends.create("cuda", 1));
            assertTrue(e.getMessage().contains("already uses --device cuda-emulated"), e.getMessage());
            try (Backend b = Backends.create("cuda-emulated", 1)) { assertEquals("cuda-emulated", b.name()); }
        } else if (r.usable()) {
            try (Backend b = Backends.create("auto", 1)) { assertEquals("cuda", b.name()); }
        } else {
            System.out.println("CudaProbeTest: CUDA not usable here: " + r.explanation());
            ReaperException e = assertThrows(ReaperException.class, () -> Backends.create("cuda", 1));
            assertTrue(e.getMessage().contains(r.reason()) && e.getMessage().contains(r.fix()), e.getMessage());
            assertThrows(ReaperException.class, () -> new CudaBackend());
            try (Backend b = Backends.create("auto", 1)) { assertEquals("cpu", b.name()); }
            assertFalse(CudaProfiler.start(), "the profiler is a no-op without CUDA");
            assertFalse(CudaProfiler.stop());
        }
    }

    @Test
    void oneLineKeepsTheRootCauseShort() {
        Throwable t = new RuntimeException("wrapper", new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file\nmore\nlines"));
        assertEquals("libcuda.so.1 not found", CudaProbe.oneLine(t));
        assertEquals("CUDA_ERROR_NO_DEVICE", CudaProbe.oneLine(new RuntimeException("outer", new IllegalStateException("CUDA_ERROR_NO_DEVICE\ndetails"))));
        assertTrue(CudaProbe.oneLine(new RuntimeException("x".repeat(500))).length() <= 200);
    }
}
