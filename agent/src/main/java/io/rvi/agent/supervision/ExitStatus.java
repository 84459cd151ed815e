package io.rvi.agent.supervision;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a process ended, from what Java reports: its exit code, or 128+N when killed by signal N (Java's
 * convention; a process that really exits with 137 cannot be told from one killed by SIGKILL).
 * {@code code == null}: unknown (an adopted process is not our child, so its status is not ours to read).
 */
public record ExitStatus(Integer code) {
    private static final Map<Integer, String> SIGNALS = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
            Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"),
            Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"),
            Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"));

    /** The signal number, or 0 when it exited normally or the status is unknown. */
    public int signal() {
        return code != null && code > 128 && code <= 128 + 64 ? code - 128 : 0;
    }

    /** {@code exited with code 1}, {@code killed by signal 9 (SIGKILL)}, {@code exited (status unknown)}. */
    public String describe() {
        if (code == null) {
            return "exited (status unknown: not our child)";
        }
        int sig = signal();
        if (sig > 0) {
            return "killed by signal " + sig + " (" + SIGNALS.getOrDefault(sig, "SIG" + sig) + ")";
        }
        return "exited with code " + code;
    }

    /** For event data. */
    public Map<String, Object> data() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (code != null) {
            int sig = signal();
            if (sig > 0) {
                m.put("signal", sig);
                m.put("signal_name", SIGNALS.getOrDefault(sig, "SIG" + sig));
            } else {
                m.put("exit_code", code);
            }
        }
        return m;
    }
}
