package org.reaper.autograd;

import java.util.ArrayList;
import java.util.List;
import org.reaper.backend.Backend;
import org.reaper.tensor.Tensor;

/**
 * Records Functions during a forward pass; {@link #backward} walks them once, in reverse. While no
 * tape is open on a thread (or inside {@link #noGrad()}), nothing is recorded: that is no-grad
 * mode, used for evaluation.
 */
public final class Tape implements AutoCloseable {
    private static final ThreadLocal<Tape> ACTIVE = new ThreadLocal<>();

    private final List<Function> functions = new ArrayList<>();
    private final Tape previous;
    private boolean closed;

    private Tape(Tape previous) { this.previous = previous; }

    /** Opens a tape on this thread; close it when the step is done. */
    public static Tape record() {
        Tape t = new Tape(ACTIVE.get());
        ACTIVE.set(t);
        return t;
    }

    /** Pauses recording until the returned handle is closed. */
    public static AutoCloseable noGrad() {
        Tape saved = ACTIVE.get();
        ACTIVE.remove();
        return () -> ACTIVE.set(saved);
    }

    static Tape active() { return ACTIVE.get(); }

    public static boolean isRecording() { return ACTIVE.get() != null; }

    void record(Function f) { functions.add(f); }

    public int size() { return functions.size(); }

    /** The functions recorded so far, in order (a snapshot; e.g. to read intermediate outputs). */
    public List<Function> recorded() { return List.copyOf(functions); }

    /** Backward from a scalar (one-element) loss, seeded with 1. */
    public void backward(Backend backend, Variable loss) {
        if (loss.value().numel() != 1)
            throw new IllegalArgumentException("backward() needs a one-element loss, got shape " + loss.shape() + "; pass a seed gradient instead");
        Tensor seed = backend.empty(loss.shape());
        backend.fill(seed, 1f);
        backward(backend, loss, seed);
    }

    /**
     * Backward from {@code output} seeded with {@code seed} (same shape as the output). As in PyTorch, only
     * leaves keep their gradients: an intermediate value's gradient is handed back to the memory pool as soon
     * as the function that produced the value has used it (unless an input now holds that memory as its own
     * gradient), so the next gradient of that size reuses memory still in cache, and a step's footprint shrinks.
     * The seed stays the caller's.
     */
    public void backward(Backend backend, Variable output, Tensor seed) {
        if (!output.requiresGrad()) throw new IllegalStateException("the output does not depend on anything that requires a gradient");
        output.accumulateGrad(backend, seed, true);
        for (int i = functions.size() - 1; i >= 0; i--) {
            Function f = functions.get(i);
            Tensor g = f.output().grad();
            if (g == null) continue;
            f.backward(g);
            if (f.output() != output && !heldByAnInput(f, g)) {
                f.output().clearGrad();
                g.close();
            }
        }
        functions.clear();
    }

    /** True when an input's gradient is g's memory (handed over as is, or as a view). */
    private static boolean heldByAnInput(Function f, Tensor g) {
        for (Variable v : f.inputs())
            if (v != null && v.grad() != null && v.grad().storage() == g.storage()) return true;
        return false;
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        if (ACTIVE.get() == this) {
            if (previous == null) ACTIVE.remove(); else ACTIVE.set(previous);
        }
        functions.clear();
    }
}
