package io.rvi.common.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML value that remembers the line it was written on, so errors can point at it. */
public sealed interface YamlNode {
    int line();

    /** What kind of value this is, in words for error messages. */
    String kindName();

    record Scalar(String text, int line) implements YamlNode {
        /** {@code text} is null for an empty value ({@code key:} or {@code ~}). */
        @Override
        public String kindName() {
            return text == null ? "an empty value" : "a scalar";
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        @Override
        public String kindName() {
            return "a list";
        }
    }

    /** Keys keep file order; {@code keyLines} has the line of each key. */
    record Mapping(LinkedHashMap<String, YamlNode> entries, Map<String, Integer> keyLines, int line) implements YamlNode {
        @Override
        public String kindName() {
            return "a mapping";
        }
    }
}
