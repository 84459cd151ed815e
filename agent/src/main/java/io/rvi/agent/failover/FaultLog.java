package io.rvi.agent.failover;

import java.util.HashMap;
import java.util.Map;

/**
 * Remembers the current message of each fault (sentinels unreachable, haproxy refusing, redis slow...)
 * so a fault is logged once when it starts or changes and once when it clears, not every period.
 */
public final class FaultLog {
    private final Map<String, String> current = new HashMap<>();

    /** Sets (message != null) or clears (null) a fault; true when that is a change worth a log line. */
    public synchronized boolean changed(String fault, String message) {
        String prev = message == null ? current.remove(fault) : current.put(fault, message);
        return message == null ? prev != null : !message.equals(prev);
    }

    public synchronized boolean active(String fault) {
        return current.containsKey(fault);
    }
}
