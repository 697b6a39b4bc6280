package org.reaper.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jcuda.CudaException;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUgraph;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reaper.ReaperException;
import org.reaper.backend.TestBackends;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * The CPU stand-in for the CUDA driver, tested on its own: barriers, warp shuffles and votes,
 * atomics across host threads, shared memory, a deliberate race that the shuffled schedule
 * catches, launch limits, static shared memory read from the cubin, GPU-only kernels refused,
 * out-of-memory, argument packing, counters, the generated stubs, and faults (divergent warps,
 * __trap, writes outside an allocation) reported with the kernel's name. Skips with a printed
 * reason where the tests use a real GPU (there is nothing to emulate) or the stand-in is not built.
 */
class CudaEmulatorTest {
    private static CudaBackend b;
    private static EmulatorKernels k;
    private static String skip;

    @BeforeAll
    static void open() {
        if (TestBackends.cudaDriver() != CudaDriver.EMULATED) skip = "the CUDA tests use " + (TestBackends.cudaDriver() == null ? "no driver" : "a real GPU") + " here, not the stand-in";
        else if (!(TestBackends.cuda() instanceof CudaBackend cb)) skip = "the stand-in is not usable: " + CudaProbe.get().explanation();
        else {
            b = cb;
            k = new EmulatorKernels(b);
        }
        if (skip != null) System.out.println("CudaEmulatorTest: every test skipped: " + skip);
    }

    @BeforeEach
    void requireEmulator() {
        Assumptions.assumeTrue(skip == null, () -> skip);
        b.makeCurrent();
    }

    @AfterAll
    static void close() { if (k != null) k.close(); }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Test
    void testsRunWithTheShuffledSchedule() {
        assertNotEquals(0, CudaEmulator.scheduleSeed(), "surefire sets REAPER_EMU_SCHEDULE so that thread order is permuted at barriers");
        assertTrue(CudaEmulator.hostThreads() >= 2, "blocks run on several host threads in the tests");
    }

    @Test
    void syncthreadsIsARealBarrier() {
        Random r = new Random(1);
        int blocks = 3, threads = 256;
        try (TensorScope s = TensorScope.open()) {
            float[] in = random(r, blocks * threads);
            Tensor x = b.fromHost(in, Shape.of(in.length)), y = b.empty(Shape.of(in.length));
            k.launch("emu_shift", blocks, 1, threads, 0, x, y);
            float[] out = b.toHost(y);
            for (int i = 0; i < in.length; i++) assertEquals(i % threads == 0 ? -1f : in[i - 1], out[i], 0f, "element " + i);
        }
    }

    @Test
    void theShuffledScheduleCatchesAMissingBarrier() {
        Random r = new Random(2);
        long seed = CudaEmulator.scheduleSeed();
        try (TensorScope s = TensorScope.open()) {
            int n = 256;
            Tensor y = b.empty(Shape.of(n));
            // in index order the racy kernel happens to work: thread t - 1 always ran before thread t
            CudaEmulator.setScheduleSeed(0);
            float[] in = random(r, n);
            k.launch("emu_shift_racy", 1, 1, n, 0, b.fromHost(in, Shape.of(n)), y);
            float[] out = b.toHost(y);
            for (int i = 1; i < n; i++) assertEquals(in[i - 1], out[i], 0f, "in-order schedule, element " + i);
            // permuted, it reads values that no thread of this launch wrote yet
            CudaEmulator.setScheduleSeed(seed);
            int wrong = 0;
            for (int trial = 0; trial < 3; trial++) {
                in = random(r, n);
                k.launch("emu_shift_racy", 1, 1, n, 0, b.fromHost(in, Shape.of(n)), y);
                out = b.toHost(y);
                for (int i = 1; i < n; i++) if (out[i] != in[i - 1]) wrong++;
            }
            assertTrue(wrong > 100, "the race went unnoticed under the shuffled schedule (" + wrong + " wrong elements)");
        } finally {
            CudaEmulator.setScheduleSeed(seed);
        }
    }

    @Test
    void warpShufflesAndVotesExchangeAmongTheLanes() {
        Random r = new Random(3);
        int threads = 128, warps = threads / 32;
        try (TensorScope s = TensorScope.open()) {
            float[] in = random(r, threads);
            Tensor out = b.empty(Shape.of(4 * warps));
            k.launch("emu_warp_ops", 1, 1, threads, 0, b.fromHost(in, Shape.of(threads)), out);
            float[] got = b.toHost(out);
            for (int w = 0; w < warps; w++) {
                // shfl_down tree: lane 0 ends with ((v0+v16)+(v8+v24))+... in the GPU's order
                float[] v = new float[32];
                System.arraycopy(in, 32 * w, v, 0, 32);
                float[] down = v.clone();
                for (int o = 16; o > 0; o >>= 1) {
                    float[] next = down.clone();
                    for (int l = 0; l < 32; l++) next[l] = down[l] + (l + o < 32 ? down[l + o] : down[l]);
                    down = next;
                }
                float[] all = v.clone();
                for (int o = 16; o > 0; o >>= 1) {
                    float[] next = all.clone();
                    for (int l = 0; l < 32; l++) next[l] = all[l] + all[l ^ o];
                    all = next;
                }
                long ballot = 0;
                for (int l = 0; l < 32; l++) if (v[l] > 0) ballot |= 1L << l;
                assertEquals(down[0], got[4 * w], 0f, "shfl_down sum of warp " + w);
                assertEquals(all[7], got[4 * w + 1], 0f, "shfl_xor all-reduce read from lane 7, warp " + w);
                assertEquals(v[5], got[4 * w + 2], 0f, "shfl broadcast of lane 5, warp " + w);
                assertEquals((float) ballot, got[4 * w + 3], 0f, "ballot of warp " + w);
            }
        }
    }

    @Test
    void blockReductionsAndSyncthreadsCount() {
        Random r = new Random(4);
        int blocks = 5, threads = 192;
        try (TensorScope s = TensorScope.open()) {
            float[] pred = new float[blocks * threads];
            float[] x = random(r, blocks * threads);
            int[] predInt = new int[pred.length];
            for (int i = 0; i < pred.length; i++) predInt[i] = r.nextInt(3) == 0 ? 1 : 0;
            for (int i = 0; i < pred.length; i++) pred[i] = Float.intBitsToFloat(predInt[i]);   // int bits through a float tensor
            Tensor p = b.fromHost(pred, Shape.of(pred.length)), tx = b.fromHost(x, Shape.of(x.length));
            Tensor count = b.empty(Shape.of(blocks)), sums = b.empty(Shape.of(2 * blocks));
            k.launch("emu_block_reduce", blocks, 1, threads, 0, p, tx, count, sums);
            float[] c = b.toHost(count), sm = b.toHost(sums);
            for (int blk = 0; blk < blocks; blk++) {
                int want = 0;
                double sum = 0;
                for (int t = 0; t < threads; t++) { want += predInt[blk * threads + t]; sum += x[blk * threads + t]; }
                assertEquals(want, Float.floatToRawIntBits(c[blk]), "__syncthreads_count of block " + blk);
                long bits = ((long) Float.floatToRawIntBits(sm[2 * blk + 1]) << 32) | (Float.floatToRawIntBits(sm[2 * blk]) & 0xffffffffL);
                assertEquals(sum, Double.longBitsToDouble(bits), 1e-12 * threads, "block_sum_d of block " + blk);
            }
        }
    }

    @Test
    void atomicsAreAtomicAcrossHostThreads() {
        try (TensorScope s = TensorScope.open()) {
            Tensor counter = b.zeros(Shape.of(1));
            int blocks = 64, threads = 256, times = 10;
            k.launch("emu_atomic_count", blocks, 1, threads, 0, counter, times);
            assertEquals(blocks * threads * times, Float.floatToRawIntBits(b.toHost(counter)[0]));
        }
    }

    @Test
    void argumentsArePackedByTheKernelsSignature() {
        assertEquals("i,f,l,d,s12,l,p", CudaEmulator.kernelSignature("emu_params"));
        try (TensorScope s = TensorScope.open()) {
            Tensor out = b.empty(Shape.of(16));
            k.launch("emu_params", 1, 1, 1, 0, -7, 2.5f, 1L << 40, Math.PI, new int[] {11, -12, 13}, new long[] {-1L}, out);
            float[] f = b.toHost(out);
            double[] d = new double[8];
            for (int i = 0; i < 8; i++)
                d[i] = Double.longBitsToDouble(((long) Float.floatToRawIntBits(f[2 * i + 1]) << 32) | (Float.floatToRawIntBits(f[2 * i]) & 0xffffffffL));
            assertArrayEquals(new double[] {-7, 2.5, 1L << 40, Math.PI, 11, -12, 13, 1.8446744073709552E19}, d);
        }
    }

    @Test
    void everyKernelTheJavaSideLaunchesIsInTheStandInWithASignature() {
        for (CudaKernels kernel : CudaKernels.values())
            assertNotNull(CudaEmulator.kernelSignature(kernel.symbol()), kernel.symbol() + " is not registered in the stand-in");
        assertEquals("p", CudaLauncher.code(null));
        assertEquals("s52", CudaLauncher.code(new int[13]));
    }

    @Test
    void launchesOverTheDeviceLimitsAreRefusedWithTheDriversCodes() {
        try (TensorScope s = TensorScope.open()) {
            Tensor t = b.zeros(Shape.of(2048));
            CudaException e = assertThrows(CudaException.class, () -> k.launch("emu_trap", 1, 1, 1025, 0, t));
            assertTrue(e.getMessage().contains("CUDA_ERROR_INVALID_VALUE"), e.getMessage());
            assertTrue(CudaEmulator.lastErrorDetail().contains("at most 1024 threads per block"), CudaEmulator.lastErrorDetail());
            e = assertThrows(CudaException.class, () -> k.launch("emu_trap", 1, 65536, 32, 0, t));
            assertTrue(CudaEmulator.lastErrorDetail().contains("65535"), CudaEmulator.lastErrorDetail());
            // refused launches are not faults: the context still works
            k.launch("emu_shift", 1, 1, 32, 0, t, t);
        }
    }

    @Test
    void staticSharedMemoryComesFromTheCubinAndCountsAgainstTheLimit() {
        Assumptions.assumeTrue(k.fromFatbin, "the self-test kernels were not built by nvcc here (no cubin to read shared sizes from)");
        CUfunction f = k.function("emu_big_shared");
        int[] shared = new int[1];
        JCudaDriver.cuFuncGetAttribute(shared, CUfunction_attribute.CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, f);
        assertEquals(41 * 1024, shared[0], "40 KiB declared + the 1 KiB an sm_90 block reserves, as the sm_90 cubin says");
        try (TensorScope s = TensorScope.open()) {
            Tensor out = b.empty(Shape.of(256));
            assertThrows(CudaException.class, () -> k.launch("emu_big_shared", 1, 1, 256, 16 * 1024, out));
            assertTrue(CudaEmulator.lastErrorDetail().contains("over the 48 KiB per block limit"), CudaEmulator.lastErrorDetail());
            k.launch("emu_big_shared", 1, 1, 256, 0, out);
            float[] got = b.toHost(out);
            for (int i = 0; i < 256; i++) assertEquals(255 - i, got[i], 0f);
        }
    }

    @Test
    void aKernelWithoutAHostBodyIsRefusedNeverRunAsANoOp() {
        try (TensorScope s = TensorScope.open()) {
            Tensor out = b.zeros(Shape.of(32));
            CudaException e = assertThrows(CudaException.class, () -> k.launch("emu_device_only", 1, 1, 32, 0, out));
            assertTrue(e.getMessage().contains("CUDA_ERROR_NOT_SUPPORTED"), e.getMessage());
            assertTrue(CudaEmulator.lastErrorDetail().contains("runs only on a real GPU"), CudaEmulator.lastErrorDetail());
            assertEquals(0f, b.toHost(out)[0], "the context survives a refused launch");
        }
    }

    @Test
    void unknownKernelNamesAreReportedByName() {
        CudaException e = assertThrows(CudaException.class, () -> k.function("emu_no_such_kernel"));
        assertTrue(e.getMessage().contains("CUDA_ERROR_NOT_FOUND"), e.getMessage());
        assertTrue(CudaEmulator.lastErrorDetail().contains("emu_no_such_kernel is not in this module"));
        jcuda.driver.CUmodule m = new jcuda.driver.CUmodule();
        JCudaDriver.cuModuleLoadData(m, "reaper-host-module\nkernel_from_a_newer_source\n\0".getBytes(StandardCharsets.US_ASCII));
        assertThrows(CudaException.class, () -> JCudaDriver.cuModuleGetFunction(new CUfunction(), m, "kernel_from_a_newer_source"));
        assertTrue(CudaEmulator.lastErrorDetail().contains("not in the CPU stand-in; rebuild"), CudaEmulator.lastErrorDetail());
        JCudaDriver.cuModuleUnload(m);
    }

    @Test
    void allocationsOverTheEmulatedMemoryFailAsOutOfMemory() {
        long limit = CudaEmulator.memoryLimit();
        try (TensorScope s = TensorScope.open()) {
            // 1 MiB free once the pool has handed its cached blocks back (it does that before giving up)
            CudaEmulator.setMemoryLimit(CudaEmulator.readCounters().bytesInUse() - b.bytesCached() + (1 << 20));
            ReaperException e = assertThrows(ReaperException.class, () -> b.empty(Shape.of(3 << 20)));
            assertTrue(e.getMessage().startsWith("CUDA out of memory allocating 12.00 MiB"), e.getMessage());
            assertTrue(e.getMessage().contains("REAPER_EMU_MEMORY"), e.getMessage());
        } finally {
            CudaEmulator.setMemoryLimit(limit);
        }
        try (TensorScope s = TensorScope.open()) { b.empty(Shape.of(3 << 20)); }
    }

    @Test
    void countersSeeEveryTransferAndLaunch() {
        try (TensorScope s = TensorScope.open()) {
            CudaEmulator.Counters before = CudaEmulator.readCounters();
            Tensor t = b.fromHost(new float[1000], Shape.of(1000));
            b.scale(t, 2f, t);
            b.toHost(t);
            CudaEmulator.Counters d = CudaEmulator.readCounters().minus(before);
            assertEquals(4000, d.bytesHostToDevice());
            assertEquals(4000, d.bytesDeviceToHost());
            assertEquals(1, d.launches());
        }
    }

    @Test
    void driverCallsTheStandInDoesNotImplementFailCleanly() {
        CudaException e = assertThrows(CudaException.class, () -> JCudaDriver.cuGraphCreate(new CUgraph(), 0));
        assertTrue(e.getMessage().contains("CUDA_ERROR_NOT_SUPPORTED"), e.getMessage());
        assertTrue(CudaEmulator.lastErrorDetail().contains("cuGraphCreate is not implemented"), CudaEmulator.lastErrorDetail());
    }

    @Test
    void everyDriverSymbolJCudaBindsIsExported() throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/nm").canExecute(), "nm (binutils) is not installed");
        File lib = extractedStandIn();
        List<String> exported = run("nm", "-D", "--defined-only", lib.getPath());
        File jcuda = null;
        for (File f : new File(System.getProperty("java.io.tmpdir")).listFiles())
            if (f.getName().startsWith("libJCudaDriver")) jcuda = f;
        Assumptions.assumeTrue(jcuda != null, "JCuda's driver library was not extracted into java.io.tmpdir");
        List<String> wanted = new ArrayList<>();
        for (String line : run("nm", "-D", "--undefined-only", jcuda.getPath())) {
            String sym = line.trim().replaceFirst("^U\\s+", "");
            if (sym.matches("cu[A-Z]\\w*")) wanted.add(sym);
        }
        assertTrue(wanted.size() > 300, "JCuda binds " + wanted.size() + " driver symbols");
        List<String> names = exported.stream().map(l -> l.replaceFirst("^\\S+\\s+\\S+\\s+", "")).toList();
        for (String sym : wanted) assertTrue(names.contains(sym), sym + " is not exported by the stand-in: a call would kill the JVM");
    }

    private static File extractedStandIn() throws Exception {
        File f = File.createTempFile("stand-in", ".so");
        f.deleteOnExit();
        try (var in = CudaEmulatorTest.class.getResourceAsStream(CudaEmulator.RESOURCE)) {
            java.nio.file.Files.copy(in, f.toPath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    private static List<String> run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return lines;
    }

    /** Faults are sticky for the context (as on a GPU), so each runs in a process of its own. */
    @ParameterizedTest
    @ValueSource(strings = {"divergent-shuffle", "exit-before-shuffle", "trap", "write-below"})
    void faultsAreReportedWithTheKernelsNameAndAreSticky(String scenario) throws Exception {
        List<String> out = faultProcess(scenario);
        String failed = out.stream().filter(l -> l.startsWith("FAILED")).findFirst().orElse(null);
        assertNotNull(failed, scenario + " was not reported: " + out);
        String expected = switch (scenario) {
            case "divergent-shuffle" -> "warp diverged";
            case "exit-before-shuffle" -> "exited while other lanes of its warp wait";
            case "trap" -> "__trap() was called";
            default -> "wrote 8 bytes below the start of an allocation";
        };
        assertTrue(failed.contains(expected), failed);
        assertTrue(failed.contains("emu_"), "the kernel is named: " + failed);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("STICKY") && l.contains("an earlier kernel failed")),
                "the context stays unusable after a fault, as on a GPU: " + out);
        String alloc = out.stream().filter(l -> l.startsWith("ALLOC")).findFirst().orElse("");
        assertTrue(alloc.contains("an earlier kernel failed") && !alloc.contains("out of memory"),
                "an allocation after a fault names the fault, not a full device: " + alloc);
    }

    @Test
    void writingPastTheEndHitsTheGuardPage() throws Exception {
        Process p = faultStart("write-past-end");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue(), "a write one float past a 4 KiB allocation must fault: " + out);
        assertFalse(out.contains("OK"), out);
    }

    private static Process faultStart(String scenario) throws Exception {
        String java = System.getProperty("java.home") + "/bin/java";
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=/dev/null", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), EmulatorFaultMain.class.getName(), scenario).redirectErrorStream(true);
        return pb.start();
    }

    private static List<String> faultProcess(String scenario) throws Exception {
        Process p = faultStart(scenario);
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the fault process hung");
        return out;
    }
}
