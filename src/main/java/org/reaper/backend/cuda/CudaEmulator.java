package org.reaper.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.reaper.ReaperException;

/**
 * The CPU stand-in for the CUDA driver (native-kernels/host): a {@code libcuda.so.1} that runs
 * Reaper's real kernels on the CPU, built into the jar when g++ was on the PATH. Loading it by
 * absolute path before JCuda loads its own library makes JCuda's driver calls land in it, so the
 * emulated device is the same {@link CudaBackend} over another driver library. It is also the JNI
 * library of this class: counters, the schedule, the emulated memory size, error details.
 */
public final class CudaEmulator {
    /** Where the build puts the stand-in on the class path. */
    public static final String RESOURCE = "/native-kernels/host/libcuda.so.1";
    /** What {@code reaper info} and the docs call it. */
    public static final String DESCRIPTION = "emulated on the CPU: for testing and teaching, not fast";

    private static boolean loaded;

    private CudaEmulator() {}

    /** Whether the stand-in was built into this jar. */
    public static boolean built() { return CudaEmulator.class.getResource(RESOURCE) != null; }

    /** Whether this process has loaded the stand-in (then every CUDA call goes to it). */
    public static synchronized boolean loaded() { return loaded; }

    /** Extracts the stand-in into a private temporary folder and loads it; once per process. */
    static synchronized void load() {
        if (loaded) return;
        checkEnvironment(System.getenv());
        if (!built())
            throw new ReaperException("--device cuda-emulated: the CPU stand-in for the CUDA driver is not built into this jar; "
                    + "rebuild with g++ and Boost.Context installed (apt-get install g++ libboost-context-dev; mvn package)");
        try (InputStream in = CudaEmulator.class.getResourceAsStream(RESOURCE)) {
            Path dir = Files.createTempDirectory("reaper-cuda-emulator");
            Path lib = dir.resolve("libcuda.so.1");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            lib.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            System.load(lib.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new ReaperException("cannot extract the CUDA stand-in into " + System.getProperty("java.io.tmpdir") + ": " + e.getMessage()
                    + "; point -Djava.io.tmpdir at a writable folder", e);
        } catch (UnsatisfiedLinkError e) {
            throw new ReaperException("the CUDA stand-in does not load here (" + CudaProbe.oneLine(e) + "); rebuild it on this machine (mvn package)", e);
        }
        loaded = true;
    }

    /** The stand-in reads these at cuInit; a value it cannot use is one clear line here, not a silent default. */
    static void checkEnvironment(java.util.Map<String, String> env) {
        String mem = env.get("REAPER_EMU_MEMORY");
        if (mem != null && !mem.matches("(?i)\\d+(\\.\\d+)?([kmgt]i?b?|b)?"))
            throw new ReaperException("REAPER_EMU_MEMORY='" + mem + "' is not a size; use e.g. 8G, 512M or a number of bytes");
        String threads = env.get("REAPER_EMU_THREADS");
        if (threads != null && !threads.matches("[1-9]\\d{0,3}"))
            throw new ReaperException("REAPER_EMU_THREADS='" + threads + "' is not a number of host threads; use e.g. 2");
        String seed = env.get("REAPER_EMU_SCHEDULE");
        if (seed != null && !seed.matches("(0[xX][0-9a-fA-F]{1,16}|\\d{1,19})"))
            throw new ReaperException("REAPER_EMU_SCHEDULE='" + seed + "' is not a seed; use 0 (threads in index order) or a number such as 0x5eed");
    }

    /**
     * Transfer and launch counts since the last {@link #resetCounters()}; the largest single copy each way
     * (host to device, device to host) since then, which tells a mask from a weight tensor.
     */
    public record Counters(long launches, long bytesHostToDevice, long bytesDeviceToHost, long bytesDeviceToDevice,
                           long allocations, long frees, long bytesInUse, long peakBytesInUse, long largestHostToDevice, long largestDeviceToHost) {
        /** What happened between {@code before} and this reading (the largest copies: reset the counters to scope them). */
        public Counters minus(Counters before) {
            return new Counters(launches - before.launches, bytesHostToDevice - before.bytesHostToDevice,
                    bytesDeviceToHost - before.bytesDeviceToHost, bytesDeviceToDevice - before.bytesDeviceToDevice,
                    allocations - before.allocations, frees - before.frees, bytesInUse, peakBytesInUse, largestHostToDevice, largestDeviceToHost);
        }
    }

    public static Counters readCounters() {
        requireLoaded();
        long[] c = counters();
        return new Counters(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]);
    }

    /** The detail of the last failed driver call on this thread, or null. */
    public static String lastErrorDetail() { return loaded() ? lastError() : null; }

    private static void requireLoaded() {
        if (!loaded()) throw new IllegalStateException("the CUDA stand-in is not loaded in this process");
    }

    static native long[] counters();
    public static native void resetCounters();
    /** 0: threads run in index order; otherwise their order is permuted at every barrier, seeded by this. */
    public static native void setScheduleSeed(long seed);
    public static native long scheduleSeed();
    /** Host threads that run blocks in parallel. */
    public static native void setHostThreads(int n);
    public static native int hostThreads();
    /** The emulated device's memory: allocations beyond it fail with CUDA_ERROR_OUT_OF_MEMORY. */
    public static native void setMemoryLimit(long bytes);
    public static native long memoryLimit();
    static native String lastError();
    /** The parameter codes of a host-compiled kernel (p pointer, i int, l long long, f float, d double, sN struct), or null. */
    public static native String kernelSignature(String name);
    public static native String[] kernelNames();
}
