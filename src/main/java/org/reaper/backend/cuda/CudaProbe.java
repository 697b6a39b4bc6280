package org.reaper.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out, without ever throwing, whether the CUDA backend can run here: are the kernels built
 * into this jar, does the driver load, is there a device of compute capability 8.0 or newer, do
 * the kernels load on it, and which optional libraries (cuBLAS, cuDNN) load. Each finding is one
 * readable line for {@code reaper info}. All JCuda calls live in {@link DriverChecks}, called
 * inside catch-all blocks so a missing native library becomes a line, never a stack dump.
 */
public final class CudaProbe {
    /**
     * @param usable  the CUDA backend can be created
     * @param reason  why not (null when usable)
     * @param fix     what the user can do about it (null when usable)
     * @param lines   one line per finding
     * @param cublas  cuBLAS loads (usable as an optional GEMM provider)
     * @param cudnn   cuDNN loads
     */
    public record Report(boolean usable, String reason, String fix, List<String> lines, boolean cublas, boolean cudnn) {
        /** "reason; fix" in one line. */
        public String explanation() { return usable ? "usable" : reason + "; " + fix; }
    }

    private static Report cached;

    private CudaProbe() {}

    /** The probe's result for this process's driver ({@link CudaDriver#current()}), computed once per JVM. */
    public static synchronized Report get() {
        if (cached == null) cached = run(CudaDriver.current() == CudaDriver.EMULATED);
        return cached;
    }

    /** Module names listed in the jar's kernel manifest, or an empty list when nvcc did not build them. */
    public static List<String> builtModules() {
        List<String> modules = new ArrayList<>();
        String list = readResource(CudaKernels.MODULE_LIST);
        if (list == null) return modules;
        for (String line : list.split("\n")) if (!line.isBlank()) modules.add(line.trim());
        return modules;
    }

    /** The nvcc release that built the kernels ("release 13.0"), or null. */
    public static String nvccVersion() {
        String v = readResource(CudaKernels.RESOURCE_DIR + "nvcc-version.txt");
        return v == null ? null : v.trim();
    }

    private static Report run(boolean emulated) {
        List<String> lines = new ArrayList<>();
        String reason = null, fix = null;

        List<String> modules = builtModules();
        boolean kernels = !modules.isEmpty() && missingModules(modules).isEmpty();
        if (kernels) {
            lines.add("cuda kernels: built (" + modules.size() + " modules, nvcc " + nvccVersion() + ")");
        } else if (emulated) {
            lines.add("cuda kernels: no fatbins (nvcc was not on the PATH at build time); the stand-in runs its host-compiled copies");
        } else {
            lines.add("cuda kernels: not built into this jar (nvcc was not on the PATH at build time)");
            reason = "the CUDA kernels were not built into this jar";
            fix = "rebuild with nvcc on the PATH (mvn package), or use --device cpu";
        }

        DriverChecks.Device device = null;
        try {
            device = DriverChecks.device();
            lines.add("cuda driver: " + device.driverVersion() + ", " + device.count() + " device(s)");
            lines.add("cuda device 0: " + device.describe());
        } catch (Throwable t) {
            rethrowIfFatal(t);
            lines.add("cuda driver: not available (" + oneLine(t) + ")");
            if (reason == null) {
                reason = "no usable CUDA driver or device (" + oneLine(t) + ")";
                fix = "install the NVIDIA driver and check nvidia-smi, or use --device cpu";
            }
        }

        if (device != null && reason == null && device.major() < 8) {
            reason = "the GPU is sm_" + device.major() + device.minor() + " but Reaper's kernels need sm_80 or newer";
            fix = "use --device cpu";
        }
        if (device != null && reason == null) {
            try {
                DriverChecks.loadAllModules();
                lines.add("cuda kernels: load on device 0");
            } catch (Throwable t) {
                rethrowIfFatal(t);
                lines.add("cuda kernels: do not load on device 0 (" + oneLine(t) + ")");
                reason = "this driver (" + device.driverVersion() + ") cannot load kernels built with nvcc " + nvccVersion()
                        + " (" + oneLine(t) + ")";
                fix = "update the NVIDIA driver or rebuild with an nvcc no newer than the driver, or use --device cpu";
            }
        }

        boolean cublas = false, cudnn = false;
        try {
            lines.add("cublas: " + DriverChecks.cublas(device != null));
            cublas = true;
        } catch (Throwable t) {
            rethrowIfFatal(t);
            lines.add("cublas: not loaded (" + withLibrary(oneLine(t), "libcublas.so.12") + "); GEMM uses Reaper's own kernels");
        }
        try {
            lines.add("cudnn: " + DriverChecks.cudnn(device != null));
            cudnn = true;
        } catch (Throwable t) {
            rethrowIfFatal(t);
            lines.add("cudnn: not loaded (" + withLibrary(oneLine(t), "libcudnn.so.9") + "); conv and BN use Reaper's own kernels");
        }

        boolean usable = reason == null;
        String label = emulated ? CudaDriver.EMULATED.device() : CudaDriver.SYSTEM.device();
        lines.add(0, usable ? label + ": usable on " + device.name() + (emulated ? " (" + CudaEmulator.DESCRIPTION + ")" : "")
                : label + ": not usable: " + reason + "; " + fix);
        return new Report(usable, reason, fix, List.copyOf(lines), cublas, cudnn);
    }

    /** Names the library JCuda 12.6 needs unless the message already names one. */
    private static String withLibrary(String message, String library) {
        return message.contains(".so") ? message : message + "; JCuda 12.6 needs " + library;
    }

    private static List<String> missingModules(List<String> modules) {
        List<String> missing = new ArrayList<>();
        for (String m : modules)
            if (CudaProbe.class.getResource(CudaKernels.RESOURCE_DIR + m + ".fatbin") == null) missing.add(m);
        return missing;
    }

    private static String readResource(String name) {
        try (InputStream in = CudaProbe.class.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError e) throw e;
    }

    private static final Pattern MISSING_LIB = Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file");
    private static final Pattern UNDEFINED = Pattern.compile("undefined symbol: (\\w+)");

    /**
     * One short line for a throwable: for JCuda's native-library errors (paragraphs with nested
     * stack traces) the library that is missing or the symbol that is undefined; otherwise the first
     * line of the root cause's message. At most 200 characters.
     */
    static String oneLine(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null && all.length() < 100_000; c = c.getCause() == c ? null : c.getCause())
            all.append(c.getMessage()).append('\n');
        Matcher m = MISSING_LIB.matcher(all);
        if (m.find()) return m.group(1) + " not found";
        m = UNDEFINED.matcher(all);
        if (m.find()) return "a native library lacks symbol " + m.group(1) + " (driver or CUDA library too old)";
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage();
        if (msg == null || msg.isBlank()) msg = t.getMessage();
        if (msg == null || msg.isBlank()) msg = t.getClass().getSimpleName();
        msg = msg.strip();
        int nl = msg.indexOf('\n');
        if (nl > 0) msg = msg.substring(0, nl).strip();
        return msg.length() > 200 ? msg.substring(0, 197) + "..." : msg;
    }
}
