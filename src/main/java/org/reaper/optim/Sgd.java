package org.reaper.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.reaper.backend.Backend;
import org.reaper.nn.Parameter;
import org.reaper.tensor.Tensor;

/**
 * PyTorch SGD (momentum, dampening, Nesterov, L2 weight decay) on the fused backend kernel. The
 * momentum buffer of a parameter is created at its first update (buf = g, as in PyTorch).
 * State: {@code optim.<name>.momentum_buffer}.
 */
public final class Sgd implements Optimizer {
    static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final Backend backend;
    private final ParameterState state;
    private final float momentum, dampening, weightDecay;
    private final boolean nesterov;
    private float lr;
    private long steps;

    public Sgd(Backend backend, Map<String, Parameter> params, float lr, float momentum, float dampening,
               float weightDecay, boolean nesterov) {
        if (nesterov && (momentum <= 0f || dampening != 0f))
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and dampening 0");
        this.backend = backend;
        this.state = new ParameterState(backend, params);
        this.lr = lr; this.momentum = momentum; this.dampening = dampening;
        this.weightDecay = weightDecay; this.nesterov = nesterov;
    }

    /** Momentum SGD without dampening or Nesterov. */
    public Sgd(Backend backend, Map<String, Parameter> params, float lr, float momentum, float weightDecay) {
        this(backend, params, lr, momentum, 0f, weightDecay, false);
    }

    /** Every parameter with a gradient, updated in one backend call (one launch on a GPU). */
    @Override public void step() {
        List<Tensor> values = new ArrayList<>(), grads = new ArrayList<>(), bufs = momentum != 0f ? new ArrayList<>() : null;
        boolean[] first = new boolean[state.size()];
        for (Parameter p : state.parameters()) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (bufs != null) {
                Tensor buf = state.get(p, MOMENTUM_BUFFER);
                if (buf == null) { buf = state.create(p, MOMENTUM_BUFFER); first[values.size()] = true; }
                bufs.add(buf);
            }
            values.add(p.value());
            grads.add(g);
        }
        backend.sgdSteps(values, grads, bufs, Arrays.copyOf(first, values.size()), lr, momentum, dampening, weightDecay, nesterov);
        steps++;
    }

    /** The momentum buffer of {@code p}, or null before its first update. */
    public Tensor momentumBuffer(Parameter p) { return state.get(p, MOMENTUM_BUFFER); }

    @Override public float learningRate() { return lr; }
    @Override public void setLearningRate(float lr) { this.lr = lr; }
    @Override public long stepCount() { return steps; }
    @Override public void scaleStateRows(Parameter p, Tensor rowScale) { state.scaleRows(p, rowScale); }
    @Override public Map<String, Tensor> stateDict() { return state.stateDict(); }

    @Override public void loadStateDict(Map<String, Tensor> s, long stepCount) {
        state.load(s, MOMENTUM_BUFFER);
        steps = stepCount;
    }

    @Override public String toString() {
        return "sgd(lr=" + lr + ", momentum=" + momentum + ", dampening=" + dampening + ", weight_decay=" + weightDecay + ", nesterov=" + nesterov + ")";
    }
}
