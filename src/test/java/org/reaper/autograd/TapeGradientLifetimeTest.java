package org.reaper.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.reaper.autograd.ops.AddFn;
import org.reaper.autograd.ops.ReluFn;
import org.reaper.autograd.ops.ReshapeFn;
import org.reaper.autograd.ops.ScaleFn;
import org.reaper.backend.Backend;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * Tape.backward releases intermediate gradients early: leaves keep theirs, intermediates end up without one,
 * and a gradient an input took over (AddFn hands its own on, ReshapeFn a view of it) is not released while
 * that input still needs it (if it were, the next function's fresh gradient would reuse its memory).
 */
class TapeGradientLifetimeTest {
    @Test
    void intermediateGradientsAreReleasedButNeverWhileAnInputHoldsThem() {
        float[] xs = {-2f, -0.5f, 0.25f, 1f, 3f, -1f};
        try (Backend b = new CpuBackend(1); TensorScope scope = TensorScope.open(); Tape tape = Tape.record()) {
            Variable x = new Variable(b.fromHost(xs, Shape.of(2, 3)), true);
            Variable h = ReluFn.apply(b, x);                                          // f1
            Variable k = ScaleFn.apply(b, x, 2f);                                     // f2: its backward allocates a [2, 3] gradient
            Variable s = AddFn.apply(b, h, k);                                        // f3: hands its gradient on to h
            Variable r = ReshapeFn.apply(b, s, Shape.of(3, 2));                       // f4: hands a view of its gradient on to s
            Variable t = ScaleFn.apply(b, r, 3f);                                     // f5
            Tensor seed = b.fromHost(new float[] {1, 1, 1, 1, 1, 1}, Shape.of(3, 2));
            tape.backward(b, t, seed);

            float[] expected = new float[xs.length];
            for (int i = 0; i < xs.length; i++) expected[i] = (xs[i] > 0 ? 3f : 0f) + 6f; // d(3 relu(x) + 6x)/dx
            assertNotNull(x.grad(), "a leaf keeps its gradient");
            assertArrayEquals(expected, b.toHost(x.grad()), 0f, "x.grad");
            assertNull(h.grad(), "relu output's gradient released");
            assertNull(k.grad(), "scale output's gradient released");
            // r's gradient lives on as s's (a view of it), and s's as h's: both stay until the step's scope ends
            assertNotNull(r.grad(), "reshape output's gradient kept: its input holds a view of it");
            assertNotNull(s.grad(), "add output's gradient kept: its first input holds it");
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, b.toHost(seed), 0f, "the caller's seed is left alone");
            assertNotNull(t.grad(), "the output keeps the seed as its gradient");
        }
    }
}
