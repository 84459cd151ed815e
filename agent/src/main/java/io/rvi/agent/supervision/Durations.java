package io.rvi.agent.supervision;

import java.time.Duration;

/** Short human durations for log lines and details: {@code 850ms}, {@code 1.4s}, {@code 2m}, {@code 1h30m}. */
final class Durations {
    private Durations() {}

    static String words(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            long tenths = Math.round(ms / 100.0);
            return tenths % 10 == 0 ? (tenths / 10) + "s" : (tenths / 10) + "." + (tenths % 10) + "s";
        }
        long s = ms / 1000;
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (sec > 0) {
            b.append(sec).append('s');
        }
        return b.toString();
    }
}
