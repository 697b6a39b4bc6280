package org.reaper.nn;

import java.util.ArrayList;
import java.util.List;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;

/** Runs its children in order; they are named "0", "1", ... as in PyTorch. */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Backend b) { super(b); }

    /** Appends a layer and returns it. */
    public <M extends Module> M add(M layer) {
        registerModule(Integer.toString(layers.size()), layer);
        layers.add(layer);
        return layer;
    }

    public Module get(int i) { return layers.get(i); }
    public int size() { return layers.size(); }
    public List<Module> layers() { return List.copyOf(layers); }

    @Override public Variable forward(Variable x) {
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            // a batch norm and the ReLU after it run as one function, which the backend does in the same passes
            if (m instanceof BatchNorm2d bn && i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU) {
                x = bn.forwardRelu(x);
                i++;
            } else {
                x = m.forward(x);
            }
        }
        return x;
    }
}
