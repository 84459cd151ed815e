package io.rvi.agent.redis.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A metric family as the Prometheus text format has it: one name, one type, one help text, and its samples.
 * {@code labelNames} are the family's labels ({@code quantile} of a summary is not one of them).
 */
final class MetricFamily {
    enum Type {
        GAUGE, COUNTER, SUMMARY;

        String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One line: {@code name + suffix{labels} value}; {@code suffix} is "", {@code _sum} or {@code _count}. */
    record Sample(String suffix, List<String> labelNames, List<String> labelValues, double value) {
        Sample {
            labelNames = List.copyOf(labelNames);
            labelValues = List.copyOf(labelValues);
            if (labelNames.size() != labelValues.size()) {
                throw new IllegalArgumentException("labels " + labelNames + " but values " + labelValues);
            }
        }
    }

    private final String name;
    private final Type type;
    private final String help;
    private final List<String> labelNames;
    private final List<Sample> samples = new ArrayList<>();

    MetricFamily(String name, Type type, String help, List<String> labelNames) {
        this.name = name;
        this.type = type;
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
    }

    String name() {
        return name;
    }

    Type type() {
        return type;
    }

    String help() {
        return help;
    }

    List<String> labelNames() {
        return labelNames;
    }

    List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    void add(Sample s) {
        samples.add(s);
    }

    /** The value of the first sample (without suffix) whose labels include every {@code name, value} pair given. */
    Double value(String... labelPairs) {
        for (Sample s : samples) {
            if (!s.suffix().isEmpty()) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labelPairs.length && all; i += 2) {
                int at = s.labelNames().indexOf(labelPairs[i]);
                all = at >= 0 && s.labelValues().get(at).equals(labelPairs[i + 1]);
            }
            if (all) {
                return s.value();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name + " " + type.text() + " " + labelNames + " (" + samples.size() + " samples)";
    }
}
