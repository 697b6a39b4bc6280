package org.reaper.backend;

import java.util.ArrayList;
import java.util.List;
import org.reaper.ReaperException;
import org.reaper.backend.cpu.CpuBackend;

/** Discovery: creates a backend by name ("cpu", "cuda", "auto") and reports what is available and why not. */
public final class Backends {
    private Backends() {}

    /** @param threads CPU worker threads (<= 0: one per core) */
    public static Backend create(String device, int threads) {
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return switch (device) {
            case "cpu", "auto" -> new CpuBackend(t);
            case "cuda" -> throw new ReaperException("--device cuda: the CUDA backend is not built into this version; use --device cpu");
            default -> throw new ReaperException("unknown --device '" + device + "'; use cpu, cuda or auto");
        };
    }

    /** One readable line per backend: available or not, and why. */
    public static List<String> report() {
        List<String> lines = new ArrayList<>();
        lines.add("cpu: available (" + Runtime.getRuntime().availableProcessors() + " cores)");
        lines.add("cuda: not available (not built into this version)");
        return lines;
    }
}
