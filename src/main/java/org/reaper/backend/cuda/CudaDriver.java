package org.reaper.backend.cuda;

import org.reaper.ReaperException;

/**
 * Which driver library JCuda's calls reach in this process: the system's libcuda.so.1 (a GPU) or
 * Reaper's CPU stand-in. The choice is made once, before JCuda loads, and cannot change: a
 * process that loaded one cannot load the other.
 */
public enum CudaDriver {
    SYSTEM("cuda"), EMULATED("cuda-emulated");

    private final String device;
    private static CudaDriver chosen;

    CudaDriver(String device) { this.device = device; }

    /** The --device value that selects this driver. */
    public String device() { return device; }

    /** Selects the driver for this process (loads the stand-in for EMULATED); a second, different choice is refused. */
    public static synchronized void use(CudaDriver d) {
        if (chosen == d) return;
        if (chosen != null)
            throw new ReaperException("this process already uses --device " + chosen.device + "; --device " + d.device
                    + " needs a process of its own (run the command again with it)");
        if (d == EMULATED) CudaEmulator.load();
        chosen = d;
    }

    /** The driver in use, choosing the system's when nothing was chosen yet. */
    public static synchronized CudaDriver current() {
        if (chosen == null) chosen = SYSTEM;
        return chosen;
    }

    /**
     * Whether the system has a libcuda.so.1 (the NVIDIA driver), looked for without loading it: in
     * LD_LIBRARY_PATH and the usual library folders.
     */
    public static boolean systemLibraryPresent() {
        java.util.List<String> dirs = new java.util.ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) dirs.addAll(java.util.Arrays.asList(ld.split(":")));
        dirs.addAll(java.util.List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64",
                "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib"));
        for (String d : dirs)
            if (!d.isBlank() && !d.contains("stubs") && java.nio.file.Files.exists(java.nio.file.Path.of(d, "libcuda.so.1"))) return true;
        return false;
    }

    /** The driver chosen so far, or null. */
    public static synchronized CudaDriver chosen() { return chosen; }
}
