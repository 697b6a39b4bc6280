package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.ShortcutPadFn;
import org.reaper.backend.Backend;
import org.reaper.tensor.Tensor;

/** The parameter-free ResNet option-A shortcut (stride-s subsample, zero-padded channels); no state in checkpoints. */
public final class OptionAShortcut extends Module {
    private final Tensor selector;
    private final int stride;

    public OptionAShortcut(Backend b, int inChannels, int outChannels, int stride) {
        super(b);
        this.selector = ShortcutPadFn.selector(b, inChannels, outChannels);
        this.stride = stride;
    }

    @Override public Variable forward(Variable x) { return ShortcutPadFn.apply(backend, x, selector, stride); }
}
