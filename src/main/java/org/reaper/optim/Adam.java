package org.reaper.optim;

import java.util.HashMap;
import java.util.Map;
import org.reaper.backend.Backend;
import org.reaper.nn.Parameter;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;

/**
 * PyTorch Adam (L2 weight decay) or AdamW ({@code decoupled}) on the fused backend kernel, with a
 * per-parameter step count for bias correction as in PyTorch. State:
 * {@code optim.<name>.exp_avg}, {@code .exp_avg_sq}, {@code .step} (a one-element tensor).
 */
public final class Adam implements Optimizer {
    static final String EXP_AVG = "exp_avg", EXP_AVG_SQ = "exp_avg_sq", STEP = "step";

    private final Backend backend;
    private final ParameterState state;
    private final Map<String, Parameter> params;
    private final Map<Parameter, Integer> paramSteps = new HashMap<>();
    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private float lr;
    private long steps;

    public Adam(Backend backend, Map<String, Parameter> params, float lr, float beta1, float beta2, float eps,
                float weightDecay, boolean decoupled) {
        this.backend = backend;
        this.params = new java.util.LinkedHashMap<>(params);
        this.state = new ParameterState(backend, params);
        this.lr = lr; this.beta1 = beta1; this.beta2 = beta2; this.eps = eps;
        this.weightDecay = weightDecay; this.decoupled = decoupled;
    }

    /** Adam with PyTorch's defaults (betas 0.9, 0.999; eps 1e-8; no weight decay). */
    public Adam(Backend backend, Map<String, Parameter> params, float lr) {
        this(backend, params, lr, 0.9f, 0.999f, 1e-8f, 0f, false);
    }

    @Override public void step() {
        for (Parameter p : state.parameters()) {
            Tensor g = p.grad();
            if (g == null) continue;
            Tensor m = state.get(p, EXP_AVG), v = state.get(p, EXP_AVG_SQ);
            if (m == null) m = state.create(p, EXP_AVG);
            if (v == null) v = state.create(p, EXP_AVG_SQ);
            int t = paramSteps.merge(p, 1, Integer::sum);
            backend.adamStep(p.value(), g, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, t);
        }
        steps++;
    }

    @Override public float learningRate() { return lr; }
    @Override public void setLearningRate(float lr) { this.lr = lr; }
    @Override public long stepCount() { return steps; }
    @Override public void scaleStateRows(Parameter p, Tensor rowScale) { state.scaleRows(p, rowScale); }

    /** The moments and the step counts (as one-element tensors, allocated in the current scope). */
    @Override public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = state.stateDict();
        for (var e : params.entrySet()) {
            Integer t = paramSteps.get(e.getValue());
            if (t != null) out.put("optim." + e.getKey() + "." + STEP, backend.fromHost(new float[] {t}, Shape.of(1)));
        }
        return out;
    }

    @Override public void loadStateDict(Map<String, Tensor> s, long stepCount) {
        state.load(s, EXP_AVG, EXP_AVG_SQ);
        for (var e : params.entrySet()) {
            Tensor t = s.get("optim." + e.getKey() + "." + STEP);
            if (t != null) paramSteps.put(e.getValue(), Math.round(backend.toHost(t)[0]));
            else if (state.get(e.getValue(), EXP_AVG) != null) paramSteps.put(e.getValue(), (int) stepCount);
        }
        steps = stepCount;
    }

    @Override public String toString() {
        return (decoupled ? "adamw" : "adam") + "(lr=" + lr + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weight_decay=" + weightDecay + ")";
    }
}
