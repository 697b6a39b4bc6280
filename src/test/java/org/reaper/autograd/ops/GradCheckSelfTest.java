package org.reaper.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.TestBackends;
import org.reaper.tensor.Tensor;

/** The checker itself must reject a wrong backward, or the gradient tests prove nothing. */
class GradCheckSelfTest {
    /** y = 2x with a backward that is 10% off. */
    static final class WrongScale extends Function {
        private final Variable x;
        WrongScale(Backend b, Variable x) { super(b, x); this.x = x; }
        static Variable apply(Backend b, Variable x) {
            Tensor y = b.empty(x.shape());
            b.scale(x.value(), 2f, y);
            return new WrongScale(b, x).finish(y);
        }
        @Override public String name() { return "wrong_scale"; }
        @Override protected void backward(Tensor dy) {
            Tensor dx = backend.empty(x.shape());
            backend.scale(dy, 2.2f, dx);
            x.accumulateGrad(backend, dx, true);
        }
    }

    @Test
    void rejectsAWrongBackwardAndAcceptsTheRightOne() {
        Backend b = TestBackends.list().get(0);
        Variable x = GradCheck.leaf(b, "self/x", -1, 1, 3, 4);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> GradCheck.check("wrong", b, List.of(x), () -> WrongScale.apply(b, x), 1e-2f, 1e-2));
        assertTrue(e.getMessage().contains("analytic"), e.getMessage());
        GradCheck.check("right", b, List.of(x), () -> ScaleFn.apply(b, x, 2f), 1e-2f, 1e-2);
    }
}
