package org.reaper.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Owns the tensors allocated while it is open (DJL-style memory managers): closing the scope
 * releases them all, so a training step written as {@code try (var s = TensorScope.open()) {...}}
 * hands every temporary back to the backend's pool. Scopes nest per thread; a tensor allocated with
 * no scope open is owned by the caller, who must close it (or, on the CPU, leave it to the GC).
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<Deque<TensorScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private TensorScope() {}

    public static TensorScope open() {
        TensorScope s = new TensorScope();
        STACK.get().push(s);
        return s;
    }

    /** Called by backends for every fresh allocation. */
    public static Tensor track(Tensor t) {
        TensorScope top = STACK.get().peek();
        if (top != null) top.owned.add(t);
        return t;
    }

    /** Moves {@code t} out of this scope so it survives the scope's close (the caller owns it now). */
    public Tensor detach(Tensor t) {
        owned.remove(t);
        return t;
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        Deque<TensorScope> stack = STACK.get();
        if (stack.peek() != this) throw new IllegalStateException("tensor scopes must be closed in reverse order of opening");
        stack.pop();
        for (int i = owned.size() - 1; i >= 0; i--) owned.get(i).close();
        owned.clear();
    }
}
