package org.reaper.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reaper.autograd.Variable;
import org.reaper.backend.Backend;
import org.reaper.tensor.Tensor;

/**
 * A layer or a model: parameters, buffers (e.g. BN running statistics) and child modules, each
 * registered under a local name so that full names follow PyTorch ({@code features.0.weight}).
 */
public abstract class Module {
    protected final Backend backend;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    protected Module(Backend backend) { this.backend = backend; }

    public Backend backend() { return backend; }

    public abstract Variable forward(Variable input);

    protected Parameter registerParameter(String name, Tensor value) {
        Parameter p = new Parameter(value);
        parameters.put(name, p);
        return p;
    }

    protected Tensor registerBuffer(String name, Tensor value) {
        buffers.put(name, value);
        return value;
    }

    protected <M extends Module> M registerModule(String name, M child) {
        children.put(name, child);
        return child;
    }

    public Map<String, Module> children() { return Collections.unmodifiableMap(children); }

    /** Every parameter of this module and its descendants, by full dotted name, in registration order. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, null);
        return out;
    }

    /** Every buffer (running_mean, running_var, num_batches_tracked...) by full dotted name. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", null, out);
        return out;
    }

    /** Every module in the tree (this one first, name ""), by full dotted name, depth-first. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        walk("", out);
        return out;
    }

    private void walk(String prefix, Map<String, Module> out) {
        out.put(prefix, this);
        for (var e : children.entrySet()) e.getValue().walk(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
    }

    private void collect(String prefix, Map<String, Parameter> ps, Map<String, Tensor> bs) {
        if (ps != null) for (var e : parameters.entrySet()) ps.put(prefix + e.getKey(), e.getValue());
        if (bs != null) for (var e : buffers.entrySet()) bs.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", ps, bs);
    }

    public List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) n += p.value().numel();
        return n;
    }

    /** Switches this module and all descendants to training (true) or evaluation (false) mode. */
    public void train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
    }

    public boolean isTraining() { return training; }

    /** Clears every parameter's gradient. */
    public void zeroGrad() { for (Parameter p : namedParameters().values()) p.clearGrad(); }
}
