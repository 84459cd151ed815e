package io.rvi.agent.redis.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the metric families of one service. Names are given without the {@value #NAMESPACE} prefix, as
 * redis_exporter's code has them ({@code connected_clients} is {@code redis_connected_clients}); every
 * sample gets the service's own label first ({@code service="redis"}), so that several services can share
 * one {@code /metrics} body. A help text of null is redis_exporter's generic {@code "<name> metric"}.
 */
final class Families {
    static final String NAMESPACE = "redis_";

    private final List<String> constNames;
    private final List<String> constValues;
    private final Map<String, MetricFamily> byName = new LinkedHashMap<>();

    /** @param constLabels {@code name, value} pairs every sample gets */
    Families(String... constLabels) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i + 1 < constLabels.length; i += 2) {
            names.add(constLabels[i]);
            values.add(constLabels[i + 1]);
        }
        this.constNames = List.copyOf(names);
        this.constValues = List.copyOf(values);
    }

    /** A gauge sample; {@code labels} are {@code name, value} pairs. */
    void gauge(String name, String help, double value, String... labels) {
        add(name, MetricFamily.Type.GAUGE, help, "", value, labels);
    }

    void counter(String name, String help, double value, String... labels) {
        add(name, MetricFamily.Type.COUNTER, help, "", value, labels);
    }

    /** A sample of type {@code type}: how redis_exporter's generic INFO fields are registered. */
    void sample(String name, MetricFamily.Type type, String help, double value, String... labels) {
        add(name, type, help, "", value, labels);
    }

    /** A summary: one sample per quantile (label {@code quantile}), then {@code _sum} and {@code _count}. */
    void summary(String name, String help, Map<Double, Double> quantiles, double sum, long count, String... labels) {
        for (Map.Entry<Double, Double> q : quantiles.entrySet()) {
            String[] withQuantile = java.util.Arrays.copyOf(labels, labels.length + 2);
            withQuantile[labels.length] = "quantile";
            withQuantile[labels.length + 1] = Exposition.number(q.getKey());
            add(name, MetricFamily.Type.SUMMARY, help, "", q.getValue(), withQuantile);
        }
        add(name, MetricFamily.Type.SUMMARY, help, "_sum", sum, labels);
        add(name, MetricFamily.Type.SUMMARY, help, "_count", count, labels);
    }

    /** The family named {@code name} (without prefix), or null. */
    MetricFamily get(String name) {
        return byName.get(NAMESPACE + name);
    }

    List<MetricFamily> list() {
        return List.copyOf(byName.values());
    }

    private void add(String name, MetricFamily.Type type, String help, String suffix, double value, String... labels) {
        List<String> names = new ArrayList<>(constNames);
        List<String> values = new ArrayList<>(constValues);
        for (int i = 0; i + 1 < labels.length; i += 2) {
            names.add(labels[i]);
            values.add(labels[i + 1] == null ? "" : labels[i + 1]);
        }
        String full = NAMESPACE + name;
        MetricFamily f = byName.get(full);
        if (f == null) {
            List<String> declared = new ArrayList<>(names);
            declared.remove("quantile");
            f = new MetricFamily(full, type, help == null ? name + " metric" : help, declared);
            byName.put(full, f);
        }
        f.add(new MetricFamily.Sample(suffix, names, values, value));
    }
}
