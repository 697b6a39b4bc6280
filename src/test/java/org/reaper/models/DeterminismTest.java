package org.reaper.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.DropoutFn;
import org.reaper.autograd.ops.SoftmaxCrossEntropyFn;
import org.reaper.backend.Backend;
import org.reaper.backend.TestBackends;
import org.reaper.nn.InitScheme;
import org.reaper.optim.Sgd;
import org.reaper.rng.Philox;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** Same seed, same loss sequence, bit for bit; another seed, another sequence. */
class DeterminismTest {

    @Test
    void sameSeedGivesBitIdenticalLosses() {
        for (Backend b : TestBackends.list()) {
            double[] a = run(b, 42), c = run(b, 42), d = run(b, 43);
            assertArrayEquals(a, c, "two runs with seed 42 on " + b);
            assertFalse(Arrays.equals(a, d), "seeds 42 and 43 gave the same losses on " + b);
            assertTrue(a[a.length - 1] < a[0], "training did not lower the loss on " + b + ": " + Arrays.toString(a));
        }
    }

    /** Six SGD-momentum steps of c2-8-pool-bn on one batch of 16 random images, with dropout on the logits. */
    private static double[] run(Backend b, long seed) {
        RandomStream rng = new RandomStream(seed);
        Model m = Models.create("c2-8-pool-bn", b, rng.fork(1), 10, InitScheme.PYTORCH_DEFAULT);
        RandomStream data = rng.fork(2), dropout = rng.fork(3);
        Tensor x = b.empty(Shape.of(16, 3, 32, 32));
        b.fillNormal(x, 0f, 1f, data.seed(), data.reserve(Philox.blocksForNormal(x.numel())));
        float[] l = new float[16];
        for (int i = 0; i < l.length; i++) l[i] = data.nextInt(10);
        Tensor labels = b.fromHost(l, Shape.of(16));
        Sgd opt = new Sgd(b, m.namedParameters(), 0.05f, 0.9f, 5e-4f);
        double[] losses = new double[6];
        for (int step = 0; step < losses.length; step++) {
            try (TensorScope s = TensorScope.open(); Tape tape = Tape.record()) {
                Variable logits = DropoutFn.apply(b, m.forward(Variable.constant(x)), 0.1f, dropout);
                SoftmaxCrossEntropyFn ce = SoftmaxCrossEntropyFn.compute(b, logits, labels, 0f);
                tape.backward(b, ce.loss());
                opt.step();
                m.zeroGrad();
                losses[step] = ce.meanLoss();
            }
        }
        return losses;
    }
}
