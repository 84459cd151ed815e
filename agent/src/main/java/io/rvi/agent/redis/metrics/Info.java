package io.rvi.agent.redis.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of an {@code INFO} reply, parsed: {@code # Section} headers and {@code key:value} lines, in
 * order. Lines that are neither are skipped, as redis_exporter skips them. Values keep everything after the
 * first colon ({@code executable:/usr/bin/redis-server}, {@code master0:name=m,address=10.0.0.1:6379,...}).
 */
final class Info {
    /** One {@code key:value} line and the section it is in ({@code Server}, {@code Replication}, ...). */
    record Field(String section, String key, String value) {}

    private final List<Field> fields;
    private final Map<String, String> values;

    private Info(List<Field> fields) {
        this.fields = List.copyOf(fields);
        Map<String, String> m = new LinkedHashMap<>();
        for (Field f : fields) {
            m.put(f.key(), f.value());
        }
        this.values = m;
    }

    static Info parse(String text) {
        List<Field> fields = new ArrayList<>();
        String section = "";
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("# ")) {
                section = line.substring(2).strip();
                continue;
            }
            int colon = line.indexOf(':');
            if (line.length() < 2 || colon <= 0) {
                continue;
            }
            fields.add(new Field(section, line.substring(0, colon), line.substring(colon + 1)));
        }
        return new Info(fields);
    }

    List<Field> fields() {
        return fields;
    }

    /** The value of {@code key} (the last one when repeated), or null. */
    String get(String key) {
        return values.get(key);
    }

    /** The value of {@code key}, or {@code orElse}. */
    String get(String key, String orElse) {
        String v = values.get(key);
        return v == null ? orElse : v;
    }

    /**
     * A {@code k=v,k=v} value ({@code ip=10.0.0.2,port=6379,state=online,offset=1,lag=0}) as an ordered map,
     * or null when a part has no {@code =} or more than one.
     */
    static Map<String, String> pairs(String value) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : value.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0 || part.indexOf('=', eq + 1) >= 0) {
                return null;
            }
            m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return m;
    }

    /**
     * A number as redis_exporter reads an INFO value: {@code ok}/{@code true} are 1, {@code err}/{@code fail}/
     * {@code false} are 0, {@code nan}/{@code inf} are what they say, a decimal number is itself; anything
     * else ({@code 1.27M}, {@code 97.43%}, {@code jemalloc-5.3.0}) is null: not a metric.
     */
    static Double number(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        char c = value.charAt(0);
        if (c >= '0' && c <= '9') { // the common case: skip the words
            return decimal(value) ? Double.valueOf(Double.parseDouble(value)) : null;
        }
        switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "ok", "true":
                return 1.0;
            case "err", "fail", "false":
                return 0.0;
            case "nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                return decimal(value) ? Double.valueOf(Double.parseDouble(value)) : null;
        }
    }

    /** An integer the way Go's {@code strconv.Atoi} reads it; 0 when it is not one (what the exporter reports then). */
    static long integerOrZero(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code [+-]digits[.digits][(e|E)[+-]digits]}, or {@code .digits}: no hex, no {@code d}/{@code f} suffixes. */
    static boolean decimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && digit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && digit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < n && digit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
