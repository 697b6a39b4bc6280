package org.reaper.backend.cpu;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Exact-size free lists of float arrays: a training step asks for the same sizes every time, so
 * after the first step no array is allocated. Arrays beyond {@code maxPooledFloats} go to the GC; a step
 * whose buffers do not all fit then allocates (and the GC clears) them again every step, so the cap is
 * generous, and an allocation that runs out of heap first lets the GC have every pooled array.
 */
final class CpuMemoryPool {
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final long maxPooledFloats;
    private long pooledFloats;

    CpuMemoryPool(long maxPooledFloats) { this.maxPooledFloats = maxPooledFloats; }

    synchronized float[] take(int n) {
        ArrayDeque<float[]> q = free.get(n);
        if (q != null && !q.isEmpty()) {
            pooledFloats -= n;
            return q.pop();
        }
        try {
            return new float[n];
        } catch (OutOfMemoryError e) {
            // the free arrays (of other sizes) may be what fills the heap: let the GC have them and try once more
            free.clear();
            pooledFloats = 0;
            return new float[n];
        }
    }

    synchronized void give(float[] a) {
        if (pooledFloats + a.length > maxPooledFloats) return;
        free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        pooledFloats += a.length;
    }

    synchronized void clear() { free.clear(); pooledFloats = 0; }
}
