package io.rvi.agent.hooks;

import java.util.LinkedHashMap;
import java.util.Map;

/** Remembers the last {@code capacity} keys; {@link #first} is true once per key. Thread-safe. */
public final class OnceFilter {
    private final Map<String, Boolean> seen;

    public OnceFilter(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized boolean first(String key) {
        return seen.putIfAbsent(key, Boolean.TRUE) == null;
    }
}
