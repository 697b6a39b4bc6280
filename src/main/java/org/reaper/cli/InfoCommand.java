package org.reaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.reaper.backend.Backends;
import org.reaper.train.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code reaper info}: Java, cores, SIMD, and which backends are available (and why not). */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the Java runtime, CPU cores and SIMD flags, and which backends are available (and why not).")
public final class InfoCommand implements Callable<Integer> {
    private static final List<String> SIMD_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw",
            "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "neon", "asimd", "sve");

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("reaper   " + Versions.reaper());
        out.println("java     " + Versions.java());
        out.println("os       " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        out.println("cores    " + Runtime.getRuntime().availableProcessors() + " available to the JVM");
        out.println("heap     " + (Runtime.getRuntime().maxMemory() >> 20) + " MB max");
        out.println("vector   " + vectorApiLine());
        out.println("cpu      " + cpuModel());
        out.println("simd     " + String.join(" ", cpuFlags()));
        out.println("backends");
        for (String line : Backends.report()) out.println("  " + line);
        return 0;
    }

    static String vectorApiLine() {
        if (!Main.vectorApiPresent())
            return "Vector API not loaded (start the JVM with --add-modules jdk.incubator.vector); kernels use the scalar path";
        return "Vector API loaded, preferred float species " + VectorProbe.preferredBits() + " bits ("
                + VectorProbe.preferredBits() / 32 + " floats per vector)";
    }

    /** SIMD-related flags of the first CPU in /proc/cpuinfo, or a note where that file does not exist. */
    static List<String> cpuFlags() {
        Set<String> flags = new TreeSet<>();
        for (String line : cpuinfo()) {
            if (line.startsWith("flags") || line.startsWith("Features")) {
                for (String f : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) if (SIMD_FLAGS.contains(f)) flags.add(f);
                break;
            }
        }
        if (flags.isEmpty()) return List.of("(unknown: no SIMD flags in /proc/cpuinfo)");
        List<String> ordered = new ArrayList<>();
        for (String f : SIMD_FLAGS) if (flags.contains(f)) ordered.add(f);
        return ordered;
    }

    static String cpuModel() {
        for (String line : cpuinfo()) if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        return System.getProperty("os.arch");
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
