package org.reaper.backend;

import java.util.ArrayList;
import java.util.List;
import org.reaper.ReaperException;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.backend.cuda.CudaBackend;
import org.reaper.backend.cuda.CudaDriver;
import org.reaper.backend.cuda.CudaEmulator;
import org.reaper.backend.cuda.CudaProbe;

/**
 * Discovery: creates a backend by name ("cpu", "cuda", "cuda-emulated", "auto") and reports what is
 * available and why not. "auto" means a real GPU when usable, else the CPU: never the emulated device.
 */
public final class Backends {
    private Backends() {}

    /** @param threads CPU worker threads (<= 0: one per core) */
    public static Backend create(String device, int threads) {
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return switch (device) {
            case "cpu" -> new CpuBackend(t);
            case "auto" -> CudaDriver.chosen() != CudaDriver.EMULATED && systemCudaUsable() ? new CudaBackend() : new CpuBackend(t);
            case "cuda" -> cuda(CudaDriver.SYSTEM);
            case "cuda-emulated" -> cuda(CudaDriver.EMULATED);
            default -> throw new ReaperException("unknown --device '" + device + "'; use cpu, cuda, cuda-emulated or auto");
        };
    }

    private static boolean systemCudaUsable() {
        CudaDriver.use(CudaDriver.SYSTEM);
        return CudaProbe.get().usable();
    }

    private static Backend cuda(CudaDriver driver) {
        CudaDriver.use(driver);
        CudaProbe.Report probe = CudaProbe.get();
        if (!probe.usable()) throw new ReaperException("--device " + driver.device() + ": " + probe.explanation());
        return new CudaBackend();
    }

    /** One readable line per backend: available or not, and why (the CUDA probe's findings indented below). */
    public static List<String> report() {
        List<String> lines = new ArrayList<>();
        lines.add("cpu: available (" + Runtime.getRuntime().availableProcessors() + " cores)");
        List<String> cuda = CudaProbe.get().lines();
        lines.add(cuda.get(0));
        for (int i = 1; i < cuda.size(); i++) lines.add("  " + cuda.get(i));
        if (CudaDriver.current() != CudaDriver.EMULATED)
            lines.add(CudaEmulator.built() ? "cuda-emulated: available (" + CudaEmulator.DESCRIPTION + "; --device cuda-emulated)"
                    : "cuda-emulated: not built into this jar (needs g++ and libboost-context-dev at build time)");
        return lines;
    }
}
