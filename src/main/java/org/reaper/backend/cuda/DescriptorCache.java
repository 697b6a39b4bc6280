package org.reaper.backend.cuda;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Library descriptors (cuDNN tensor, filter and convolution descriptors, a found algorithm) made once
 * per shape and destroyed together when the backend closes: a training step asks for the same few
 * shapes every time, so after the first step nothing is created.
 */
final class DescriptorCache<K, V> implements AutoCloseable {
    private final Function<K, V> create;
    private final Consumer<V> destroy;
    private final Map<K, V> cache = new LinkedHashMap<>();
    private long created;
    private boolean closed;

    DescriptorCache(Function<K, V> create, Consumer<V> destroy) {
        this.create = create;
        this.destroy = destroy;
    }

    synchronized V get(K key) {
        if (closed) throw new IllegalStateException("the descriptor cache is closed");
        V v = cache.get(key);
        if (v == null) {
            v = create.apply(key);
            created++;
            cache.put(key, v);
        }
        return v;
    }

    /** Descriptors created so far (constant once every shape has been seen). */
    synchronized long created() { return created; }

    synchronized int size() { return cache.size(); }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        RuntimeException first = null;
        for (V v : cache.values()) {
            try { destroy.accept(v); } catch (RuntimeException e) { if (first == null) first = e; }
        }
        cache.clear();
        if (first != null) throw first;
    }
}
