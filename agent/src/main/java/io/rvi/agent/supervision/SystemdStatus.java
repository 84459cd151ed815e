package io.rvi.agent.supervision;

import java.util.HashMap;
import java.util.Map;

/**
 * The output of {@code systemctl show UNIT --property=ActiveState,SubState,MainPID,NRestarts,Result},
 * parsed, and what it means for supervision. Plain class.
 */
public record SystemdStatus(String activeState, String subState, long mainPid, long nRestarts, String result) {

    /** Parses {@code Key=Value} lines; unknown keys are ignored; ActiveState is required. */
    public static SystemdStatus parse(String output) {
        Map<String, String> kv = new HashMap<>();
        for (String line : output.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        String active = kv.get("ActiveState");
        if (active == null || active.isEmpty()) {
            throw new IllegalArgumentException("no ActiveState in systemctl output");
        }
        return new SystemdStatus(active, kv.getOrDefault("SubState", ""), number(kv.get("MainPID")),
                number(kv.get("NRestarts")), kv.getOrDefault("Result", ""));
    }

    /** The ServiceState.process value: running, starting, stopped, failed or unknown. */
    public String processState() {
        return switch (activeState) {
            case "active", "reloading" -> "running";
            case "activating" -> "starting";
            case "inactive", "deactivating" -> "stopped";
            case "failed" -> "failed";
            default -> "unknown";
        };
    }

    /** Whether the agent should restart the unit: it is failed, or inactive (stopped, or never started). */
    public boolean needsRestart() {
        return "failed".equals(activeState) || "inactive".equals(activeState);
    }

    /** e.g. {@code failed/failed (result exit-code)}, {@code active/running}. */
    public String describe() {
        String s = activeState + (subState.isEmpty() ? "" : "/" + subState);
        return result.isEmpty() || "success".equals(result) ? s : s + " (result " + result + ")";
    }

    private static long number(String v) {
        if (v == null || v.isEmpty() || "[not set]".equals(v)) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
