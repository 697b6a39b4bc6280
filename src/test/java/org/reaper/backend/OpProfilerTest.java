package org.reaper.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reaper.backend.OpsKit.randomFloats;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** The per-op profiler of `reaper bench --profile-ops`: forwards every call unchanged and counts it under its kernel and geometry. */
class OpProfilerTest {
    @Test void countsEachKernelByGeometryAndChangesNoResult() {
        try (Backend cpu = new CpuBackend(2); TensorScope s = TensorScope.open()) {
            OpProfiler.Wrapped w = OpProfiler.wrap(cpu);
            Backend p = w.backend();
            ConvGeometry small = new ConvGeometry(2, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1), strided = new ConvGeometry(2, 3, 8, 8, 4, 3, 3, 2, 2, 1, 1);
            float[] x = randomFloats("prof-x", 2 * 3 * 8 * 8, -1, 1), wt = randomFloats("prof-w", 4 * 27, -1, 1);
            Tensor tx = cpu.fromHost(x, Shape.of(2, 3, 8, 8)), tw = cpu.fromHost(wt, Shape.of(4, 3, 3, 3));
            Tensor direct = cpu.empty(small.outputShape()), viaProfiler = cpu.empty(small.outputShape());
            cpu.conv2dForward(tx, tw, null, direct, small);
            p.conv2dForward(tx, tw, null, viaProfiler, small);
            p.conv2dForward(tx, tw, null, viaProfiler, small);
            p.conv2dForward(tx, tw, null, cpu.empty(strided.outputShape()), strided);
            p.relu(viaProfiler, viaProfiler);
            w.profiler().recording(false);
            p.relu(viaProfiler, viaProfiler);            // not counted
            float[] a = cpu.toHost(direct), b = cpu.toHost(viaProfiler);
            for (int i = 0; i < a.length; i++) assertEquals(Math.max(a[i], 0f), b[i], 0f, "element " + i);

            List<OpProfiler.Row> rows = w.profiler().rows();
            assertEquals(3, rows.size(), rows.toString());
            assertTrue(rows.stream().anyMatch(r -> r.op().equals("conv2dForward 3x3/1 3->4 8x8") && r.calls() == 2), rows.toString());
            assertTrue(rows.stream().anyMatch(r -> r.op().equals("conv2dForward 3x3/2 3->4 8x8") && r.calls() == 1), rows.toString());
            assertTrue(rows.stream().anyMatch(r -> r.op().equals("relu") && r.calls() == 1), rows.toString());
            String table = w.profiler().table("ops", 1);
            assertTrue(table.contains("| conv2dForward 3x3/1 3->4 8x8 | 2 |") && table.contains("| all ops |"), table);
        }
    }

    @Test void aKernelsExceptionReachesTheCallerUnwrapped() {
        try (Backend cpu = new CpuBackend(1); TensorScope s = TensorScope.open()) {
            Backend p = OpProfiler.wrap(cpu).backend();
            assertThrows(ShapeMismatchException.class, () -> p.relu(cpu.empty(Shape.of(3)), cpu.empty(Shape.of(4))));
        }
    }
}
