package org.reaper.backend;

import java.util.ArrayList;
import java.util.List;
import org.reaper.ReaperException;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.backend.cuda.CudaBackend;
import org.reaper.backend.cuda.CudaProbe;

/** Discovery: creates a backend by name ("cpu", "cuda", "auto") and reports what is available and why not. */
public final class Backends {
    private Backends() {}

    /** @param threads CPU worker threads (<= 0: one per core) */
    public static Backend create(String device, int threads) {
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return switch (device) {
            case "cpu" -> new CpuBackend(t);
            case "auto" -> CudaProbe.get().usable() ? new CudaBackend() : new CpuBackend(t);
            case "cuda" -> {
                CudaProbe.Report probe = CudaProbe.get();
                if (!probe.usable()) throw new ReaperException("--device cuda: " + probe.explanation());
                yield new CudaBackend();
            }
            default -> throw new ReaperException("unknown --device '" + device + "'; use cpu, cuda or auto");
        };
    }

    /** One readable line per backend: available or not, and why (the CUDA probe's findings indented below). */
    public static List<String> report() {
        List<String> lines = new ArrayList<>();
        lines.add("cpu: available (" + Runtime.getRuntime().availableProcessors() + " cores)");
        List<String> cuda = CudaProbe.get().lines();
        lines.add(cuda.get(0));
        for (int i = 1; i < cuda.size(); i++) lines.add("  " + cuda.get(i));
        return lines;
    }
}
