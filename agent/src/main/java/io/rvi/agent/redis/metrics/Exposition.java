package io.rvi.agent.redis.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes metric families in the Prometheus text exposition format 0.0.4, exactly as named (no renaming,
 * {@code _total} kept): one {@code # HELP} and one {@code # TYPE} line per family, then its samples. Families
 * of the same name from several services are written as one family, in name order; a sample repeating a
 * series already written (same name and labels) is dropped, so the text is always valid.
 */
final class Exposition {
    private Exposition() {}

    static String render(Collection<MetricFamily> families) {
        TreeMap<String, List<MetricFamily>> byName = new TreeMap<>();
        for (MetricFamily f : families) {
            byName.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(f);
        }
        StringBuilder out = new StringBuilder(families.size() * 128);
        for (List<MetricFamily> same : byName.values()) {
            MetricFamily first = same.get(0);
            out.append("# HELP ").append(first.name()).append(' ').append(escapeHelp(first.help())).append('\n');
            out.append("# TYPE ").append(first.name()).append(' ').append(first.type().text()).append('\n');
            Set<String> written = new HashSet<>();
            for (MetricFamily f : same) {
                for (MetricFamily.Sample s : f.samples()) {
                    int mark = out.length();
                    out.append(f.name()).append(s.suffix());
                    if (!s.labelNames().isEmpty()) {
                        out.append('{');
                        for (int i = 0; i < s.labelNames().size(); i++) {
                            if (i > 0) {
                                out.append(',');
                            }
                            out.append(s.labelNames().get(i)).append("=\"").append(escapeLabel(s.labelValues().get(i))).append('"');
                        }
                        out.append('}');
                    }
                    if (!written.add(out.substring(mark))) {
                        out.setLength(mark); // the same series twice: keep the first
                        continue;
                    }
                    out.append(' ').append(number(s.value())).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** A sample value: integers without a fraction, others as Java prints them ({@code 0.75}, {@code 1.3E-5}). */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** A label value: backslash, double quote and line feed escaped. */
    static String escapeLabel(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** A help text: backslash and line feed escaped. */
    static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** A metric name made of {@code [a-zA-Z0-9_]} only (other characters become {@code _}), as redis_exporter does. */
    static String sanitize(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            b.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        return b.toString();
    }
}
