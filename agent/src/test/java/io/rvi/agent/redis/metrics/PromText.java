package io.rvi.agent.redis.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for the tests: it keeps every family
 * (name, type, help, samples) and lists every problem a scraper would choke on or silently mis-read: a second
 * HELP or TYPE for a name, a TYPE after the family's samples, a family whose samples are not together, bad
 * metric or label names, bad escapes, unparsable values, the same series twice, a summary line without
 * {@code quantile}.
 */
final class PromText {
    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    record Sample(String name, Map<String, String> labels, double value, int line) {}

    static final class Family {
        final String name;
        String type = "untyped";
        String help;
        final List<Sample> samples = new ArrayList<>();

        Family(String name) {
            this.name = name;
        }

        /** Label names of the samples whose labels include {@code filter} ({@code quantile} and {@code le} left out). */
        Set<String> labelNames(Map<String, String> filter) {
            Set<String> names = new TreeSet<>();
            for (Sample s : samples) {
                if (s.labels().entrySet().containsAll(filter.entrySet())) {
                    names.addAll(s.labels().keySet());
                }
            }
            names.remove("quantile");
            names.remove("le");
            return names;
        }

        boolean has(Map<String, String> filter) {
            return samples.stream().anyMatch(s -> s.labels().entrySet().containsAll(filter.entrySet()));
        }

        /** The value of the sample named like the family whose labels include {@code filter}, or null. */
        Double value(Map<String, String> filter) {
            return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(filter.entrySet()))
                    .map(Sample::value).findFirst().orElse(null);
        }
    }

    final Map<String, Family> families = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();

    static PromText parse(String text) {
        PromText p = new PromText();
        p.read(text);
        return p;
    }

    Family family(String name) {
        return families.get(name);
    }

    private void read(String text) {
        Set<String> seenSeries = new HashSet<>();
        Set<String> closed = new HashSet<>(); // families whose samples are done (another family's came after)
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    if (!METRIC.matcher(name).matches()) {
                        problems.add(no + ": bad metric name in " + parts[1] + ": " + name);
                    }
                    Family f = families.computeIfAbsent(name, Family::new);
                    String rest = parts.length == 4 ? parts[3] : "";
                    if (parts[1].equals("HELP")) {
                        if (f.help != null) {
                            problems.add(no + ": second HELP for " + name);
                        }
                        f.help = rest;
                    } else {
                        if (!f.type.equals("untyped") || !f.samples.isEmpty()) {
                            problems.add(no + ": TYPE for " + name + " after its samples or a second time");
                        }
                        if (!Set.of("counter", "gauge", "summary", "histogram", "untyped").contains(rest)) {
                            problems.add(no + ": bad type " + rest);
                        }
                        f.type = rest;
                    }
                }
                continue;
            }
            Sample s = sample(line, no);
            if (s == null) {
                continue;
            }
            Family f = familyOf(s.name());
            if (!f.name.equals(current)) {
                if (closed.contains(f.name)) {
                    problems.add(no + ": samples of " + f.name + " are not together");
                }
                if (current != null) {
                    closed.add(current);
                }
                current = f.name;
            }
            if (f.type.equals("summary") && s.name().equals(f.name) && !s.labels().containsKey("quantile")) {
                problems.add(no + ": summary sample without quantile: " + line);
            }
            if (!seenSeries.add(s.name() + new TreeMap<>(s.labels()))) {
                problems.add(no + ": the same series twice: " + line);
            }
            f.samples.add(s);
        }
    }

    private Family familyOf(String sample) {
        for (String suffix : new String[] {"_sum", "_count", "_bucket"}) {
            if (sample.endsWith(suffix)) {
                Family base = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (base != null && (base.type.equals("summary") || base.type.equals("histogram"))) {
                    return base;
                }
            }
        }
        return families.computeIfAbsent(sample, Family::new);
    }

    private Sample sample(String line, int no) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!METRIC.matcher(name).matches()) {
            problems.add(no + ": bad metric name: " + line);
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (i < line.length() && line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    problems.add(no + ": bad label pair: " + line);
                    return null;
                }
                String label = line.substring(i, eq);
                if (!LABEL.matcher(label).matches() || label.startsWith("__")) {
                    problems.add(no + ": bad label name " + label);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = j + 1 < line.length() ? line.charAt(++j) : '?';
                        switch (next) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> problems.add(no + ": bad escape \\" + next + " in " + line);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (j >= line.length()) {
                    problems.add(no + ": unterminated label value: " + line);
                    return null;
                }
                if (labels.put(label, value.toString()) != null) {
                    problems.add(no + ": label " + label + " twice");
                }
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                }
            }
            i++; // '}'
        }
        String[] rest = line.substring(Math.min(i, line.length())).strip().split(" ");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            problems.add(no + ": no value: " + line);
            return null;
        }
        double v;
        try {
            v = switch (rest[0]) {
                case "NaN" -> Double.NaN;
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> {
                    if (!Info.decimal(rest[0])) {
                        throw new NumberFormatException(rest[0]);
                    }
                    yield Double.parseDouble(rest[0]);
                }
            };
        } catch (NumberFormatException e) {
            problems.add(no + ": bad value: " + line);
            return null;
        }
        return new Sample(name, labels, v, no);
    }
}
