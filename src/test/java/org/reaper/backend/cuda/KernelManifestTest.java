package org.reaper.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every kernel the Java side launches ({@link CudaKernels}) exists: as an extern "C" __global__
 * function in its .cu source, and, when nvcc built the fatbins, in the fatbin's PTX (for compute_80
 * and compute_90) and SASS. Runs without a GPU (CI has nvcc but no device). Loading the PTX needs a
 * driver and a GPU, so that part is checked by CudaProbe / CudaParityTest on a GPU host only.
 */
class KernelManifestTest {
    private static final Path SOURCES = Path.of("native-kernels");
    private static final Pattern KERNEL = Pattern.compile(
            "extern\\s+\"C\"\\s+__global__\\s+void\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s+)?(\\w+)\\s*\\(");

    @Test
    void everyLaunchedKernelIsDefinedInItsSource() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "native-kernels/ not found from " + Path.of("").toAbsolutePath());
        for (CudaKernels k : CudaKernels.values()) {
            Path src = SOURCES.resolve(k.module() + ".cu");
            assertTrue(Files.exists(src), k + ": missing source " + src);
            Set<String> defined = kernelsIn(Files.readString(src));
            assertTrue(defined.contains(k.symbol()), k + ": no extern \"C\" __global__ void " + k.symbol() + " in " + src + " (has " + defined + ")");
        }
    }

    @Test
    void kernelNamesAreUniqueAcrossModules() throws IOException {
        Set<String> seen = new HashSet<>();
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(SOURCES)) { s.filter(p -> p.toString().endsWith(".cu")).forEach(files::add); }
        assertTrue(files.size() >= 9, "expected the nine kernel files, found " + files);
        for (Path f : files)
            for (String name : kernelsIn(Files.readString(f)))
                assertTrue(seen.add(name), "kernel " + name + " defined twice (again in " + f + ")");
    }

    @Test
    void builtFatbinsContainEveryKernelForBothArchitectures() throws IOException {
        List<String> modules = CudaProbe.builtModules();
        if (modules.isEmpty()) {
            boolean nvcc = onPath("nvcc");
            System.out.println("KernelManifestTest: no fatbins on the class path (nvcc " + (nvcc ? "IS" : "is not") + " on the PATH)");
            assertFalse(nvcc, "nvcc is on the PATH but the build produced no kernel fatbins");
            Assumptions.assumeTrue(false, "kernels not built: nvcc is not on the PATH");
        }
        for (CudaKernels k : CudaKernels.values()) {
            assertTrue(modules.contains(k.module()), k + ": module " + k.module() + " not in the built manifest " + modules);
            String image = readLatin1(k.resource());
            assertNotNull(image, k + ": resource " + k.resource() + " missing");
            assertTrue(image.contains(".entry " + k.symbol() + "("), k + ": no PTX entry " + k.symbol() + " in " + k.resource());
            assertTrue(image.contains(".text." + k.symbol()), k + ": no SASS section for " + k.symbol() + " in " + k.resource());
        }
        for (String m : modules) {
            String image = readLatin1(CudaKernels.RESOURCE_DIR + m + ".fatbin");
            assertTrue(image.contains(".target sm_80"), m + ": no compute_80 PTX");
            assertTrue(image.contains(".target sm_90"), m + ": no compute_90 PTX");
        }
        assertEquals(CudaKernels.values().length, java.util.Arrays.stream(CudaKernels.values()).map(CudaKernels::symbol).distinct().count());
    }

    static Set<String> kernelsIn(String source) {
        Set<String> names = new HashSet<>();
        Matcher m = KERNEL.matcher(source);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    private static String readLatin1(String resource) throws IOException {
        try (InputStream in = KernelManifestTest.class.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator))
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }
}
