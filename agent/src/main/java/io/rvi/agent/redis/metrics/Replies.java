package io.rvi.agent.redis.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis replies as plain Java values, so the mappings can be tested on recorded replies: a status or bulk
 * reply is a {@link String}, an integer a {@link Long}, an array a {@link List}, an error reply a
 * {@link Error}, nil is null. A command that got no reply at all is not a reply (the adapter fails instead).
 */
final class Replies {
    /** An error reply ({@code NOQUORUM 1 usable Sentinels...}, {@code ERR unknown command...}). */
    record Error(String message) {}

    private Replies() {}

    static boolean isError(Object reply) {
        return reply instanceof Error;
    }

    /** A status, bulk or integer reply as text, or null. */
    static String text(Object reply) {
        return reply instanceof String || reply instanceof Long ? reply.toString() : null;
    }

    /** An integer reply (or a bulk holding one), or null. */
    static Long integer(Object reply) {
        if (reply instanceof Long l) {
            return l;
        }
        if (reply instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** An array reply's elements, or an empty list when the reply is not an array. */
    static List<Object> array(Object reply) {
        if (reply instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return List.of();
    }

    /**
     * A flat {@code [k1, v1, k2, v2, ...]} array ({@code CONFIG GET}, one {@code SENTINEL MASTERS} entry) as
     * an ordered map of texts; null when it is not such an array.
     */
    static Map<String, String> record(Object reply) {
        if (!(reply instanceof List<?> l) || l.size() % 2 != 0) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < l.size(); i += 2) {
            String k = text(l.get(i));
            if (k == null) {
                return null;
            }
            m.put(k, text(l.get(i + 1)));
        }
        return m;
    }

    /** An array of flat records ({@code SENTINEL MASTERS}, {@code SENTINEL REPLICAS x}); entries that are not records are skipped. */
    static List<Map<String, String>> records(Object reply) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Object o : array(reply)) {
            Map<String, String> m = record(o);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }
}
