package org.reaper.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reaper.ReaperException;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.SoftmaxCrossEntropyFn;
import org.reaper.backend.Backend;
import org.reaper.backend.Backends;
import org.reaper.backend.OpProfiler;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.backend.cpu.CpuParallel;
import org.reaper.backend.cuda.CudaBackend;
import org.reaper.backend.cuda.CudaEmulator;
import org.reaper.repr.ReprCycle;
import org.reaper.repr.ReprOptions;
import org.reaper.data.Augmentation;
import org.reaper.data.Batch;
import org.reaper.data.BatchLoader;
import org.reaper.data.ImageDataset;
import org.reaper.data.Normalization;
import org.reaper.data.SyntheticData;
import org.reaper.models.Model;
import org.reaper.models.Models;
import org.reaper.nn.InitScheme;
import org.reaper.optim.Sgd;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;
import org.reaper.train.Json;
import org.reaper.train.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code reaper bench}: times full training steps (upload, forward, loss, backward, SGD-momentum update) on a
 * fixed synthetic batch after a warm-up; with --json the last line is one JSON object.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time full training steps on synthetic data (forward, loss, backward, SGD momentum).")
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "Model (default ${DEFAULT-VALUE}).") String model = "c3-32-pool";
    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).") int batch = 128;
    @Option(names = "--steps", description = "Timed steps (default ${DEFAULT-VALUE}).") int steps = 20;
    @Option(names = "--warmup", description = "Untimed warm-up steps, at least (default ${DEFAULT-VALUE}).") int warmup = 3;
    @Option(names = "--warmup-seconds", paramLabel = "S", description = "Keep warming up until this many seconds have passed (default "
            + "${DEFAULT-VALUE}), and then until a step allocates under 2 MB on the Java heap and the JIT has compiled nothing for 1 s "
            + "(at most 120 s): the JIT compiles the vector kernels only after a few seconds, until then they run several times slower, "
            + "and while it compiles it takes a core from the step.")
    double warmupSeconds = 5;
    @Option(names = "--threads", description = "CPU threads (default: all cores).") int threads = 0;
    @Option(names = "--device", paramLabel = "cpu|cuda|cuda-emulated|auto", description = "Device (default ${DEFAULT-VALUE}).") String device = "cpu";
    @Option(names = "--profile-steps", paramLabel = "A:B", description = "Bracket timed steps A..B-1 with cuProfilerStart/Stop (for nsys/ncu; CUDA only).")
    String profileSteps;
    @Option(names = "--json", description = "Print one JSON line last (for scripts).") boolean json;
    @Option(names = "--ceilings", description = "Measure the device's ceilings instead: copy bandwidth (a device-to-device copy kernel) "
            + "and the GEMM rate of each provider at --gemm-size (--steps timed runs each).")
    boolean ceilings;
    @Option(names = "--gemm-size", paramLabel = "N", description = "Square GEMM size for --ceilings (default ${DEFAULT-VALUE}).") int gemmSize = 4096;
    @Option(names = "--copy-mib", paramLabel = "MIB", description = "Buffer size for the copy ceiling (default ${DEFAULT-VALUE}).") int copyMib = 256;
    @Option(names = "--repr-cycle", description = "Time whole RePr cycles (ortho scores, selection, masks, re-init; --steps of them) "
            + "instead of training steps, with the bytes each moves between host and device (counted on cuda-emulated).")
    boolean reprCycle;
    @Option(names = "--profile-ops", description = "After the timed steps, time --steps more with every kernel call timed on its own "
            + "(the device synchronised after each) and print a table of milliseconds per step by kernel and layer shape.")
    boolean profileOps;

    @Override public Integer call() {
        if (batch < 1 || steps < 1 || warmup < 0 || !(warmupSeconds >= 0))
            throw new ReaperException("--batch and --steps must be >= 1, --warmup and --warmup-seconds >= 0");
        if (threads < 0) throw new ReaperException("--threads must be at least 0 (got " + threads + ")");
        PrintWriter out = spec.commandLine().getOut();
        ProfileSteps window = ProfileSteps.parse(profileSteps);
        StepTiming.Result timing;
        int usedThreads;
        String deviceName;
        Map<String, String> providers = null;
        WorkMoved moved = null;   // CPU only
        Launched launched = null;   // CUDA only
        if (ceilings) return ceilings(out);
        OpProfiler profiler = null;
        try (Backend real = Backends.create(device, threads)) {
            Backend backend = real;
            if (profileOps) {
                OpProfiler.Wrapped w = OpProfiler.wrap(real);
                backend = w.backend();
                profiler = w.profiler();
                profiler.recording(false);
            }
            usedThreads = backend.threads();
            // "cuda:0", or "cuda-emulated (cuda:0)" so an emulated timing is never mistaken for a GPU's
            deviceName = backend.name().equals("cuda-emulated") ? backend.name() + " (" + backend.device() + ")" : backend.device().toString();
            Model m = Models.create(model, backend, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT);
            Sgd sgd = new Sgd(backend, m.namedParameters(), 0.01f, 0.9f, 0f);
            ImageDataset ds = SyntheticData.random(batch, 10, 1);
            float[] images, labels;
            try (BatchLoader loader = new BatchLoader(ds, batch, false, false, Augmentation.NONE, Normalization.of(ds), 1)) {
                Batch b = loader.epoch(0).next();
                images = b.images().clone();
                labels = b.labels().clone();
            }
            m.train(true);
            if (reprCycle) {
                step(backend, m, sgd, images, labels);   // the optimizer's state exists, as in a real run
                return cycles(out, real, deviceName, m, sgd);
            }
            Backend timed = backend;
            CpuParallel par = real instanceof CpuBackend cpu ? cpu.parallel() : null;
            CudaBackend gpu = real instanceof CudaBackend cb ? cb : null;
            long[] before = {0, 0};
            timing = StepTiming.measure(() -> step(timed, m, sgd, images, labels), warmup, warmupSeconds,
                    StepTiming.JIT_QUIET_SECONDS, StepTiming::jitCompileMillis, steps, i -> {
                        if (i == 0 && par != null) { before[0] = par.stolenPieces(); before[1] = par.pieces(); }
                        if (i == 0 && gpu != null) { before[0] = gpu.kernelLaunches(); before[1] = gpu.deviceAllocations(); }
                        if (window != null) window.beforeStep(i);
                    });
            if (par != null) moved = new WorkMoved((double) (par.stolenPieces() - before[0]) / steps, (double) (par.pieces() - before[1]) / steps);
            if (gpu != null) launched = new Launched((double) (gpu.kernelLaunches() - before[0]) / steps, gpu.deviceAllocations() - before[1]);
            if (window != null) window.finish();
            if (gpu != null) providers = gpu.providers();
            if (profiler != null) profileTable(out, backend, profiler, m, sgd, images, labels, deviceName, usedThreads);
        }
        double median = timing.median();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("batch", batch);
        r.put("threads", usedThreads);
        r.put("device", deviceName);
        r.put("steps", steps);
        r.put("warmup", timing.warmedSteps());
        r.put("first_step_ms", round(timing.firstStepMs()));
        r.put("ms_per_step", round(median));
        r.put("ms_p10", round(timing.percentile(10)));
        r.put("ms_p90", round(timing.percentile(90)));
        r.put("images_per_s", round(batch * 1000.0 / median));
        r.put("peak_rss_mb", StepTiming.peakRssMb());
        r.put("alloc_mb_per_step", round(timing.allocMbPerStep()));
        if (moved != null) {
            r.put("pieces_per_step", round(moved.pieces()));
            r.put("pieces_moved_per_step", round(moved.moved()));
        }
        if (launched != null) {
            r.put("launches_per_step", round(launched.perStep()));
            r.put("device_allocations_timed", launched.allocations());
        }
        if (providers != null) r.put("providers", providers);   // which of Reaper's kernels, cuBLAS or cuDNN ran each op
        r.put("jvm", System.getProperty("java.version") + (Versions.vectorApiLoaded() ? " +vector" : " scalar"));
        out.printf(Locale.ROOT, "%s batch %d on %s (%d threads): %.1f ms/step (p10 %.1f, p90 %.1f), %.0f images/s, %.1f MB allocated "
                        + "on the Java heap per step; after %d warm-up steps, the first %.0f ms%n", model, batch, deviceName, usedThreads, median,
                timing.percentile(10), timing.percentile(90), batch * 1000.0 / median, timing.allocMbPerStep(), timing.warmedSteps(),
                timing.firstStepMs());
        if (moved != null && moved.pieces() > 0)
            out.printf(Locale.ROOT, "work moved between threads: %.0f of %.0f pieces a step (%.1f %%: a thread that ran slower or started later "
                    + "hands its pieces to one that is done)%n", moved.moved(), moved.pieces(), 100 * moved.moved() / moved.pieces());
        if (launched != null)
            out.printf(Locale.ROOT, "%.0f kernel launches a step (Reaper's own; cuBLAS and cuDNN calls launch more), %d device allocations "
                    + "during the timed steps (the pool serves the rest)%n", launched.perStep(), launched.allocations());
        if (timing.looksBoxed())
            spec.commandLine().getErr().printf(Locale.ROOT, "reaper: warning: each timed step allocated %.0f MB on the Java heap: the JIT compiled a vector kernel "
                    + "with boxed vectors in this JVM, which runs it several times slower; these timings are not the build's, run the bench again%n",
                    timing.allocMbPerStep());
        if (providers != null) out.println("providers: " + providers);
        if (json) out.println(Json.compact(r));
        return 0;
    }

    /** Per timed step on a CUDA device: Reaper's kernel launches; and the cuMemAlloc calls of all timed steps. */
    private record Launched(double perStep, long allocations) {}

    /** Per timed step on the CPU: pieces of parallel work that ran on another thread than their chunk's, of all pieces. */
    private record WorkMoved(double moved, double pieces) {}

    /** --steps more steps with every kernel timed; the table, with the step time no kernel accounts for as its last row. */
    private void profileTable(PrintWriter out, Backend backend, OpProfiler profiler, Model m, Sgd sgd, float[] images, float[] labels,
                              String deviceName, int usedThreads) {
        profiler.recording(true);
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) step(backend, m, sgd, images, labels);
        double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
        profiler.recording(false);
        double kernelsMs = profiler.rows().stream().mapToLong(OpProfiler.Row::nanos).sum() / 1e6 / steps;
        out.print(profiler.table(String.format(Locale.ROOT, "Reaper op (%s, batch %d, %s, %d threads)", model, batch, deviceName, usedThreads), steps));
        out.printf(Locale.ROOT, "| outside the kernels (autograd, allocation, Java) | | %.2f | |%n| whole step, profiled | | %.2f | |%n%n",
                stepMs - kernelsMs, stepMs);
    }

    private int ceilings(PrintWriter out) {
        if (gemmSize < 1 || copyMib < 1 || steps < 1) throw new ReaperException("--gemm-size, --copy-mib and --steps must be >= 1");
        Map<String, Object> r = DeviceCeilings.measure(device, threads, gemmSize, copyMib, steps);
        out.printf(Locale.ROOT, "ceilings on %s: copy %s GB/s, SGEMM %d^3 %s GFLOP/s%s%n", r.get("device"), r.get("copy_gb_per_s"), gemmSize,
                r.get("sgemm_gflops"), r.containsKey("tf32_gflops") ? ", TF32 " + r.get("tf32_gflops") + " GFLOP/s" : "");
        if (json) out.println(Json.compact(r));
        return 0;
    }

    /** Times --steps RePr cycles (after --warmup untimed ones); counts launches on a CUDA device, and transfers on the stand-in. */
    private int cycles(PrintWriter out, Backend backend, String deviceName, Model m, Sgd sgd) {
        CudaBackend gpu = backend instanceof CudaBackend cb ? cb : null;
        boolean counting = gpu != null && gpu.emulated();   // the stand-in's driver counts bytes each way
        ReprOptions o = new ReprOptions();
        o.schedule = ReprOptions.Schedule.REPR;
        double[] ms = new double[steps];
        long d2h = 0, h2d = 0, launches = 0;
        ReprCycle.Outcome last = null;
        RandomStream rng = new RandomStream(7);
        for (int i = 0; i < warmup + steps; i++) {
            CudaEmulator.Counters before = counting ? CudaEmulator.readCounters() : null;
            long launchedBefore = gpu != null ? gpu.kernelLaunches() : 0;
            long t0 = System.nanoTime();
            last = ReprCycle.run(backend, m, o, sgd, InitScheme.PYTORCH_DEFAULT, rng.fork(i));
            backend.synchronize();
            if (i < warmup) continue;
            ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
            if (gpu != null) launches += gpu.kernelLaunches() - launchedBefore;
            if (counting) {
                CudaEmulator.Counters c = CudaEmulator.readCounters().minus(before);
                d2h += c.bytesDeviceToHost();
                h2d += c.bytesHostToDevice();
            }
        }
        double median = StepTiming.percentile(StepTiming.sorted(ms), 50);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("device", deviceName);
        r.put("cycles", steps);
        r.put("ms_per_cycle", round(median));
        r.put("dropped", last.dropped());
        r.put("filters", last.filters());
        r.put("full_orthogonal", last.fullOrthogonal());
        r.put("counted", counting);
        r.put("d2h_bytes", counting ? d2h / steps : 0);
        r.put("h2d_bytes", counting ? h2d / steps : 0);
        r.put("launches", gpu != null ? launches / steps : 0);
        out.printf(Locale.ROOT, "%s on %s: %.1f ms per RePr cycle (%d of %d filters dropped and re-initialised, %d fully orthogonal)%s%n",
                model, deviceName, median, last.dropped(), last.filters(), last.fullOrthogonal(),
                (gpu != null ? String.format(Locale.ROOT, "; %d kernel launches per cycle", launches / steps) : "")
                + (counting ? String.format(Locale.ROOT, ", %d bytes device->host, %d bytes host->device", d2h / steps, h2d / steps)
                        : "; transfers are counted on --device cuda-emulated only"));
        if (json) out.println(Json.compact(r));
        return 0;
    }

    private static void step(Backend backend, Model m, Sgd sgd, float[] images, float[] labels) {
        int n = labels.length;
        try (TensorScope scope = TensorScope.open(); Tape tape = Tape.record()) {
            Tensor x = backend.fromHost(images, Shape.of(n, 3, 32, 32));
            Tensor y = backend.fromHost(labels, Shape.of(n));
            Variable logits = m.forward(Variable.constant(x));
            SoftmaxCrossEntropyFn ce = SoftmaxCrossEntropyFn.compute(backend, logits, y, 0f);
            tape.backward(backend, ce.loss());
            sgd.step();
            backend.synchronize();
        } finally {
            m.zeroGrad();
        }
    }

    private static double round(double v) { return StepTiming.round(v); }
}
