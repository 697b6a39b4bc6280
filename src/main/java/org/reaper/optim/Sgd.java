package org.reaper.optim;

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

    @Override public void step() {
        for (Parameter p : state.parameters()) {
            Tensor g = p.grad();
            if (g == null) continue;
            Tensor buf = null;
            boolean first = false;
            if (momentum != 0f) {
                buf = state.get(p, MOMENTUM_BUFFER);
                if (buf == null) { buf = state.create(p, MOMENTUM_BUFFER); first = true; }
            }
            backend.sgdStep(p.value(), g, buf, lr, momentum, dampening, weightDecay, nesterov, first);
        }
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
