package org.reaper.autograd.ops;

import org.reaper.autograd.Function;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.backend.ConvGeometry;
import org.reaper.tensor.Shape;
import org.reaper.tensor.ShapeMismatchException;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * The parameter-free "option A" ResNet shortcut of He et al.: {@code x[:, :, ::s, ::s]} with the
 * channels zero-padded symmetrically from C_in to C_out (PyTorch CIFAR code:
 * {@code F.pad(x[:, :, ::2, ::2], (0,0,0,0, planes//4, planes//4))}).
 *
 * <p>Composed from existing kernels: it is a 1x1 convolution with stride s whose fixed 0/1
 * "selector" weight maps input channel c to output channel pad + c. Multiplying by 1 and adding
 * zeros is exact, so the result is bit-identical to a gather; its cost is tiny next to the 3x3 convs.
 */
public final class ShortcutPadFn extends Function {
    private final Variable x;
    private final Tensor selector;
    private final ConvGeometry g;

    private ShortcutPadFn(Backend b, Variable x, Tensor selector, ConvGeometry g) {
        super(b, x);
        this.x = x; this.selector = selector; this.g = g;
    }

    /**
     * The fixed [C_out, C_in, 1, 1] selector, allocated outside any scope (build it once per layer).
     * C_out - C_in must be even and non-negative.
     */
    public static Tensor selector(Backend b, int inChannels, int outChannels) {
        int extra = outChannels - inChannels;
        if (extra < 0 || extra % 2 != 0)
            throw new IllegalArgumentException("option-A shortcut needs an even, non-negative channel increase, got " + inChannels + " -> " + outChannels);
        float[] w = new float[outChannels * inChannels];
        int pad = extra / 2;
        for (int c = 0; c < inChannels; c++) w[(pad + c) * inChannels + c] = 1f;
        Tensor t;
        try (TensorScope s = TensorScope.open()) {          // a private scope the tensor leaves: it outlives the step
            t = s.detach(b.empty(Shape.of(outChannels, inChannels, 1, 1)));
        }
        b.upload(w, t);
        return t;
    }

    public static Variable apply(Backend b, Variable x, Tensor selector, int stride) {
        Shape s = x.shape();
        if (s.rank() != 4 || selector.rank() != 4 || selector.dim(1) != s.dim(1))
            throw new ShapeMismatchException("shortcut_pad", "input " + s + " does not fit selector " + selector.shape());
        ConvGeometry g = new ConvGeometry(s.dim(0), s.dim(1), s.dim(2), s.dim(3), selector.dim(0), 1, 1, stride, stride, 0, 0);
        Tensor y = b.empty(g.outputShape());
        b.conv2dForward(x.value(), selector, null, y, g);
        return new ShortcutPadFn(b, x, selector, g).finish(y);
    }

    @Override public String name() { return "shortcut_pad"; }

    @Override protected void backward(Tensor dy) {
        if (!x.requiresGrad()) return;
        Tensor dx = backend.empty(x.shape());
        backend.conv2dBackwardData(dy, selector, dx, g);
        x.accumulateGrad(backend, dx, true);
    }
}
