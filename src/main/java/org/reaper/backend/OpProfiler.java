package org.reaper.backend;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.reaper.tensor.Tensor;

/**
 * Per-op wall time of a backend: {@link #wrap} returns a backend that forwards every call to the real one and
 * adds the call's time to a row keyed by the kernel and, for convolutions, pooling and batch norm, its
 * geometry (so "conv2dBackwardFilter 3x3/1 32->32 16x16" and the same kernel at 8x8 are separate rows).
 * The device is synchronised after each timed call, so on an asynchronous device every row is the kernel's
 * own time (and the step is slower than without profiling). Identity, memory and host-transfer calls are
 * forwarded untimed.
 */
public final class OpProfiler {
    private static final Set<String> UNTIMED = Set.of("name", "device", "threads", "empty", "synchronize", "close",
            "toString", "hashCode", "equals");

    /** One row of the table: a kernel (with its geometry), its calls and its total nanoseconds. */
    public record Row(String op, long calls, long nanos) {}

    private final Map<String, long[]> rows = new LinkedHashMap<>();
    private boolean recording = true;

    private OpProfiler() {}

    /** A profiler and the backend that records into it. */
    public record Wrapped(Backend backend, OpProfiler profiler) {}

    public static Wrapped wrap(Backend real) {
        OpProfiler p = new OpProfiler();
        InvocationHandler h = (proxy, method, args) -> p.invoke(real, method, args);
        Backend b = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
        return new Wrapped(b, p);
    }

    /** Recording on (the default) or off, e.g. during warm-up steps. */
    public void recording(boolean on) { recording = on; }

    /** The rows, largest total time first. */
    public List<Row> rows() {
        List<Row> out = new ArrayList<>();
        rows.forEach((k, v) -> out.add(new Row(k, v[0], v[1])));
        out.sort(Comparator.comparingLong(Row::nanos).reversed());
        return out;
    }

    /** A markdown table of milliseconds and calls per step (the totals divided by {@code steps}) with each row's share. */
    public String table(String title, int steps) {
        List<Row> rs = rows();
        long total = rs.stream().mapToLong(Row::nanos).sum();
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(title).append(" | calls/step | ms/step | share |\n|---|---|---|---|\n");
        for (Row r : rs) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.1f%% |%n", r.op(), perStep(r.calls(), steps),
                    r.nanos() / 1e6 / steps, total == 0 ? 0.0 : 100.0 * r.nanos() / total));
        }
        sb.append(String.format(Locale.ROOT, "| all ops | | %.2f | |%n", total / 1e6 / steps));
        return sb.toString();
    }

    private static String perStep(long calls, int steps) {
        return calls % steps == 0 ? Long.toString(calls / steps) : String.format(Locale.ROOT, "%.1f", (double) calls / steps);
    }

    private Object invoke(Backend real, Method method, Object[] args) throws Throwable {
        boolean timed = recording && !UNTIMED.contains(method.getName()) && method.getDeclaringClass() != Object.class;
        long t0 = timed ? System.nanoTime() : 0;
        Object result;
        try {
            result = method.invoke(real, args);
            if (timed) real.synchronize();
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (timed) {
            long[] row = rows.computeIfAbsent(label(method.getName(), args), k -> new long[2]);
            row[0]++;
            row[1] += System.nanoTime() - t0;
        }
        return result;
    }

    /** The kernel's name, with the geometry that tells its calls apart where there is one. */
    static String label(String name, Object[] args) {
        if (args == null) return name;
        for (Object a : args) {
            if (a instanceof ConvGeometry g) {
                return String.format(Locale.ROOT, "%s %dx%d/%d %d->%d %dx%d", name, g.kernelH(), g.kernelW(), g.strideH(),
                        g.inChannels(), g.outChannels(), g.inH(), g.inW());
            }
            if (a instanceof PoolGeometry g) {
                return String.format(Locale.ROOT, "%s %dx%d/%d %dx%d", name, g.kernelH(), g.kernelW(), g.strideH(), g.inH(), g.inW());
            }
        }
        if (name.startsWith("batchNorm") && args.length > 0 && args[0] instanceof Tensor x) return name + " " + x.shape();
        return name;
    }
}
