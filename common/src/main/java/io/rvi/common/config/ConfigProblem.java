package io.rvi.common.config;

/**
 * One thing wrong with a config file: where (file and line), which key (dotted path), the value
 * found (may be null when a key is missing) and what was expected instead.
 */
public record ConfigProblem(String file, int line, String path, String value, String expected) {
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(file);
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ").append(path.isEmpty() ? "(top level)" : path).append(": ");
        if (value != null) {
            b.append("got \"").append(value).append("\"; ");
        }
        b.append(expected);
        return b.toString();
    }
}
