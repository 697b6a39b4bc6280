package org.reaper.models;

import org.reaper.backend.Backend;
import org.reaper.nn.Module;
import org.reaper.nn.Prunable;

/** A whole network: NCHW images in, [N, classes] logits out; RePr can prune its convs. */
public abstract class Model extends Module implements Prunable {
    private final String name;

    protected Model(Backend backend, String name) {
        super(backend);
        this.name = name;
    }

    /** The preset name it was built from, e.g. "c3-32-pool" or "resnet20". */
    public String name() { return name; }
}
