package io.rvi.agent.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Meters for a set of labelled things that come and go (disks, devices, interfaces). Each thing's
 * latest value sits in a holder its meters read; meters are registered when a thing first appears
 * and removed when it is gone, so a scrape never shows a stale series. Callers serialise updates.
 */
final class MeterFamily<T> {
    private final MeterRegistry registry;
    private final Function<T, String> key;
    private final BiFunction<T, AtomicReference<T>, List<Meter>> register;
    private final Map<String, Entry<T>> entries = new HashMap<>();

    private record Entry<T>(AtomicReference<T> holder, List<Meter> meters) {}

    /**
     * @param key      the identity of a thing (its label values)
     * @param register registers the meters of a new thing, reading the holder; returns them
     */
    MeterFamily(MeterRegistry registry, Function<T, String> key, BiFunction<T, AtomicReference<T>, List<Meter>> register) {
        this.registry = registry;
        this.key = key;
        this.register = register;
    }

    void update(List<T> values) {
        Map<String, T> seen = new HashMap<>();
        for (T v : values) {
            seen.put(key.apply(v), v);
        }
        for (Map.Entry<String, T> e : seen.entrySet()) {
            Entry<T> entry = entries.get(e.getKey());
            if (entry == null) {
                AtomicReference<T> holder = new AtomicReference<>(e.getValue());
                entries.put(e.getKey(), new Entry<>(holder, register.apply(e.getValue(), holder)));
            } else {
                entry.holder().set(e.getValue());
            }
        }
        Iterator<Map.Entry<String, Entry<T>>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry<T>> e = it.next();
            if (!seen.containsKey(e.getKey())) {
                e.getValue().meters().forEach(registry::remove);
                it.remove();
            }
        }
    }

    void clear() {
        update(List.of());
    }

    int size() {
        return entries.size();
    }
}
