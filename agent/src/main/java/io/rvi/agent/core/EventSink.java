package io.rvi.agent.core;

import java.util.Map;

/**
 * Where components report what happened. The implementation numbers each event, writes it to the
 * on-disk outbox (delivered to the coordinator in order) and publishes it on the event bus.
 */
public interface EventSink {
    void emit(String type, String severity, String service, String message, Map<String, Object> data);

    /** An event sink that drops everything (tests, check-config). */
    EventSink NONE = (type, severity, service, message, data) -> { };
}
