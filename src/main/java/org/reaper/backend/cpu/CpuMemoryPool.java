package org.reaper.backend.cpu;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Exact-size free lists of float arrays: a training step asks for the same sizes every time, so
 * after the first step no array is allocated. Arrays beyond {@code maxPooledFloats} go to the GC.
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
        return new float[n];
    }

    synchronized void give(float[] a) {
        if (pooledFloats + a.length > maxPooledFloats) return;
        free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        pooledFloats += a.length;
    }

    synchronized void clear() { free.clear(); pooledFloats = 0; }
}
