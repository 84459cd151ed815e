package io.rvi.agent.sentinel;

import io.rvi.agent.core.EventSink;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An event sink that keeps what it is given, for assertions. */
final class Events implements EventSink {
    record Event(String type, String severity, String service, String message, Map<String, Object> data) {}

    final List<Event> all = new CopyOnWriteArrayList<>();

    @Override
    public void emit(String type, String severity, String service, String message, Map<String, Object> data) {
        all.add(new Event(type, severity, service, message, data));
    }

    List<Event> of(String type) {
        return all.stream().filter(e -> e.type().equals(type)).toList();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Event e : all) {
            b.append("\n  ").append(e.type()).append(' ').append(e.severity()).append(' ').append(e.message()).append(' ').append(e.data());
        }
        return b.toString();
    }
}
