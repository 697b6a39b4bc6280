package org.reaper.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reaper.ReaperException;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.nn.InitScheme;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.TensorScope;

/** Models built for the data's image shape: 1 x 28 x 28 grey images (MNIST, Fashion-MNIST) as well as CIFAR's 3 x 32 x 32. */
class InputShapeTest {
    private static final Models.Input GREY28 = new Models.Input(1, 28, 28);

    private static Shape logits(Backend b, Model m, Models.Input in) {
        try (TensorScope s = TensorScope.open()) {
            Variable x = Variable.constant(b.zeros(Shape.of(2, in.channels(), in.height(), in.width())));
            return m.forward(x).shape();
        }
    }

    @Test void vanillaNetsAndCifarResNetsTakeGrey28x28Images() {
        try (Backend b = new CpuBackend(1)) {
            VanillaConvNet pool = (VanillaConvNet) Models.create("c3-32-pool", b, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT, GREY28);
            assertEquals(Shape.of(32, 1, 3, 3), pool.prunableConvs().get(0).conv().weight().shape(), "one input channel");
            assertEquals(Shape.of(10, 32 * 3 * 3), pool.classifier().weight().shape(), "28 -> 14 -> 7 -> 3 (floor pooling)");
            assertEquals(3 * 3, pool.prunableConvs().get(2).nextLinearSpatial());
            assertEquals(Shape.of(2, 10), logits(b, pool, GREY28));
            VanillaConvNet flat = (VanillaConvNet) Models.create("c3-32", b, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT, GREY28);
            assertEquals(Shape.of(10, 32 * 28 * 28), flat.classifier().weight().shape());
            assertEquals(Shape.of(2, 10), logits(b, flat, GREY28));
            Model r20 = Models.create("resnet20", b, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT, GREY28);
            assertEquals(Shape.of(2, 10), logits(b, r20, GREY28));
            Model bn = Models.create("c4-16-pool-bn", b, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT, new Models.Input(2, 20, 16));
            assertEquals(Shape.of(2, 10), logits(b, bn, new Models.Input(2, 20, 16)));
        }
    }

    @Test void theCifarShapeBuildsTheSameModelAsBefore() {
        try (Backend b = new CpuBackend(1)) {
            Model old = Models.create("c3-32-pool", b, new RandomStream(3), 10, InitScheme.PYTORCH_DEFAULT);
            Model now = Models.create("c3-32-pool", b, new RandomStream(3), 10, InitScheme.PYTORCH_DEFAULT, Models.Input.CIFAR);
            var a = old.namedParameters();
            var c = now.namedParameters();
            assertEquals(a.keySet(), c.keySet());
            for (String k : a.keySet()) assertTrue(java.util.Arrays.equals(b.toHost(a.get(k).value()), b.toHost(c.get(k).value())), k);
        }
    }

    @Test void shapesAModelCannotTakeAreOneLineErrors() {
        try (Backend b = new CpuBackend(1)) {
            String e = assertThrows(ReaperException.class,
                    () -> Models.create("c5-32-pool", b, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT, GREY28)).getMessage();
            assertEquals("model 'c5-32-pool': 5 2x2 poolings do not fit a 28x28 input; use at most 4 layers with -pool", e);
            e = assertThrows(ReaperException.class, () -> Models.create("resnet18", b, new RandomStream(1), 10, InitScheme.PYTORCH_DEFAULT, GREY28)).getMessage();
            assertTrue(e.startsWith("model 'resnet18' takes 3-channel (RGB) images but the data has 1"), e);
        }
    }
}
