package io.rvi.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of one YAML mapping, collecting every problem instead of stopping at the
 * first. Each section remembers the keys it was asked for; {@link #finish()} on the root reports
 * every key nobody asked for as unknown. {@code ${NAME}} and {@code ${NAME:-default}} in scalar
 * values are replaced from the environment ({@code $$} is a literal dollar).
 */
public final class ConfigReader {
    private static final Pattern ENV = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

    private final Context ctx;
    private final YamlNode.Mapping node;
    private final String path;
    private final int line;
    private final Set<String> asked = new LinkedHashSet<>();
    private final Map<String, ConfigReader> children = new LinkedHashMap<>();

    private record Context(String file, Map<String, String> env, List<ConfigProblem> problems) {}

    /** {@code line}: where this section's key is written (where a problem about a key missing from it points). */
    private ConfigReader(Context ctx, YamlNode.Mapping node, String path, int line) {
        this.ctx = ctx;
        this.node = node;
        this.path = path;
        this.line = line;
    }

    /** Parses {@code text} (named {@code file} in errors) and returns a reader over its top mapping. */
    public static ConfigReader parse(String file, Reader text, Map<String, String> env, List<ConfigProblem> problems) {
        YamlNode root = YamlTree.parse(file, text, problems);
        Context ctx = new Context(file, env, problems);
        if (root instanceof YamlNode.Mapping m) {
            return new ConfigReader(ctx, m, "", m.line());
        }
        if (root != null) {
            problems.add(new ConfigProblem(file, root.line(), "", null, "expected a mapping of sections at the top level, found " + root.kindName()));
        }
        return new ConfigReader(ctx, new YamlNode.Mapping(new LinkedHashMap<>(), Map.of(), 0), "", 0);
    }

    /** Reads {@code file} from disk; a missing or unreadable file is one problem. */
    public static ConfigReader read(Path file, Map<String, String> env, List<ConfigProblem> problems) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), r, env, problems);
        } catch (IOException e) {
            problems.add(new ConfigProblem(file.toString(), 0, "", null, "cannot be read: " + describe(e)));
            return parse(file.toString(), Reader.nullReader(), env, new ArrayList<>());
        }
    }

    public String file() {
        return ctx.file();
    }

    public String path() {
        return path;
    }

    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        asked.add(key);
        YamlNode n = node.entries().get(key);
        return n != null && !(n instanceof YamlNode.Scalar s && s.text() == null);
    }

    /** The line of {@code key} if present, else the line where this section's own key is written. */
    public int lineOf(String key) {
        Integer l = node.keyLines().get(key);
        return l != null ? l : line;
    }

    /** Records a problem at {@code key} (for checks that span several keys). */
    public void problem(String key, String value, String expected) {
        ctx.problems().add(new ConfigProblem(ctx.file(), lineOf(key), pathOf(key), value, expected));
    }

    /** Records a problem at item {@code index} of the list at {@code key} ({@code key[index]}, on the item's line). */
    public void problem(String key, int index, String value, String expected) {
        int at = lineOf(key);
        if (node.entries().get(key) instanceof YamlNode.Sequence seq && index >= 0 && index < seq.items().size()) {
            at = seq.items().get(index).line();
        }
        ctx.problems().add(new ConfigProblem(ctx.file(), at, pathOf(key) + "[" + index + "]", value, expected));
    }

    public List<ConfigProblem> problems() {
        return ctx.problems();
    }

    // ---- scalars -------------------------------------------------------------------------

    /** A string, or {@code def} if absent. */
    public String string(String key, String def) {
        String s = scalar(key);
        return s == null ? def : s;
    }

    /** A string that must be present and non-empty. */
    public String requiredString(String key) {
        String s = scalar(key);
        if (s == null || s.isBlank()) {
            if (!node.entries().containsKey(key) || s == null) {
                problem(key, null, "required; expected a non-empty string");
            } else {
                problem(key, s, "expected a non-empty string");
            }
            return null;
        }
        return s;
    }

    public int integer(String key, int def, int min, int max) {
        return convert(key, def, "an integer from " + min + " to " + max, text -> {
            int v = Integer.parseInt(text);
            return v < min || v > max ? null : v;
        });
    }

    public boolean bool(String key, boolean def) {
        return convert(key, def, "true or false", text -> switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        });
    }

    /** A duration written with a unit: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}. */
    public Duration duration(String key, Duration def, Duration min, Duration max) {
        return convert(key, def, "a duration from " + format(min) + " to " + format(max) + " (like 500ms, 5s, 2m, 1h)", text -> {
            Duration d = parseDuration(text);
            return d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0 ? null : d;
        });
    }

    /** A size in bytes: a number, optionally with B, KiB, MiB or GiB. */
    public long bytes(String key, long def, long min, long max) {
        return convert(key, def, "a size from " + min + " to " + max + " bytes (like 65536, 64KiB, 16MiB)", text -> {
            Matcher m = SIZE.matcher(text.trim());
            if (!m.matches()) {
                return null;
            }
            String unit = m.group(2) == null ? "B" : m.group(2);
            long v = Math.multiplyExact(Long.parseLong(m.group(1)), switch (unit) {
                case "KiB" -> 1024L;
                case "MiB" -> 1024L * 1024;
                case "GiB" -> 1024L * 1024 * 1024;
                default -> 1L;
            });
            return v < min || v > max ? null : v;
        });
    }

    /** One of an enum's constants, written in lower case. */
    public <E extends Enum<E>> E choice(String key, E def, Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        return convert(key, def, "one of " + String.join(", ", names), text -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return e;
                }
            }
            return null;
        });
    }

    /** A host:port pair; returns null (after a problem) when malformed. */
    public HostPort hostPort(String key, HostPort def) {
        return convert(key, def, "host:port with a port from 1 to 65535 (like 127.0.0.1:6379)", HostPort::parseOrNull);
    }

    public Path path(String key, Path def) {
        String s = scalar(key);
        return s == null ? def : Path.of(s);
    }

    /**
     * A secret read from the file named at {@code key} (first line, trimmed). Missing or empty files
     * are problems; the secret's value never appears in a message.
     */
    public Secret secretFile(String key) {
        String s = scalar(key);
        if (s == null) {
            return null;
        }
        Path p = Path.of(s);
        try {
            String text = Files.readString(p, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                problem(key, s, "the file is empty; expected a file holding the secret");
                return null;
            }
            return new Secret(text.lines().findFirst().orElse("").strip(), s);
        } catch (IOException e) {
            problem(key, s, "the file cannot be read (" + describe(e) + "); expected a readable file holding the secret");
            return null;
        }
    }

    public List<String> stringList(String key, List<String> def) {
        asked.add(key);
        YamlNode n = node.entries().get(key);
        if (n == null || n instanceof YamlNode.Scalar s && s.text() == null) {
            return def;
        }
        if (!(n instanceof YamlNode.Sequence seq)) {
            problem(key, n instanceof YamlNode.Scalar s ? s.text() : null, "expected a list of strings, found " + n.kindName());
            return def;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            if (item instanceof YamlNode.Scalar s && s.text() != null) {
                out.add(interpolate(s.text(), item.line(), pathOf(key) + "[" + i + "]"));
            } else {
                ctx.problems().add(new ConfigProblem(ctx.file(), item.line(), pathOf(key) + "[" + i + "]", null,
                        "expected a string, found " + item.kindName()));
            }
        }
        return out;
    }

    // ---- sections ------------------------------------------------------------------------

    /** A nested mapping; an absent key gives an empty section (all defaults). */
    public ConfigReader section(String key) {
        asked.add(key);
        ConfigReader existing = children.get(key);
        if (existing != null) {
            return existing;
        }
        YamlNode n = node.entries().get(key);
        YamlNode.Mapping m;
        if (n instanceof YamlNode.Mapping mm) {
            m = mm;
        } else {
            if (n != null && !(n instanceof YamlNode.Scalar s && s.text() == null)) {
                problem(key, n instanceof YamlNode.Scalar s ? s.text() : null, "expected a mapping (a section of keys), found " + n.kindName());
            }
            m = new YamlNode.Mapping(new LinkedHashMap<>(), Map.of(), lineOf(key));
        }
        ConfigReader child = new ConfigReader(ctx, m, pathOf(key), lineOf(key));
        children.put(key, child);
        return child;
    }

    /** A mapping of named sections ({@code name: {...}}), in file order. */
    public Map<String, ConfigReader> namedSections(String key) {
        ConfigReader outer = section(key);
        Map<String, ConfigReader> out = new LinkedHashMap<>();
        for (String name : outer.node.entries().keySet()) {
            out.put(name, outer.section(name));
        }
        return out;
    }

    /** Keys present in this section, in file order. */
    public Set<String> keys() {
        return node.entries().keySet();
    }

    /**
     * Reports every key in this section and its children that no one asked for. Call once on the
     * root after reading everything.
     */
    public void finish() {
        for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
            if (!asked.contains(e.getKey())) {
                String near = KeySuggestion.closest(e.getKey(), asked);
                ctx.problems().add(new ConfigProblem(ctx.file(), lineOf(e.getKey()), pathOf(e.getKey()), null,
                        "unknown key" + (near == null ? "" : " (did you mean " + near + "?)")
                                + "; expected one of: " + String.join(", ", asked.isEmpty() ? Set.of("(none)") : asked)));
            }
        }
        for (ConfigReader c : children.values()) {
            c.finish();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private String scalar(String key) {
        asked.add(key);
        YamlNode n = node.entries().get(key);
        if (n == null) {
            return null;
        }
        if (n instanceof YamlNode.Scalar s) {
            return s.text() == null ? null : interpolate(s.text(), s.line(), pathOf(key));
        }
        problem(key, null, "expected a single value, found " + n.kindName());
        return null;
    }

    private <T> T convert(String key, T def, String expected, Function<String, T> parse) {
        String text = scalar(key);
        if (text == null) {
            return def;
        }
        T v;
        try {
            v = parse.apply(text.trim());
        } catch (RuntimeException e) {
            v = null;
        }
        if (v == null) {
            problem(key, text, "expected " + expected);
            return def;
        }
        return v;
    }

    private String interpolate(String text, int line, String at) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String rep;
            if (m.group().equals("$$")) {
                rep = "$";
            } else {
                String v = ctx.env().get(m.group(1));
                if (v == null) {
                    v = m.group(3);
                }
                if (v == null) {
                    ctx.problems().add(new ConfigProblem(ctx.file(), line, at, text,
                            "environment variable " + m.group(1) + " is not set; set it or write ${" + m.group(1) + ":-default}"));
                    v = "";
                }
                rep = v;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(rep));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A duration like {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}; null when malformed or too large. */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            return null; // too large to be a duration
        }
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return "0s";
        if (ms % 86_400_000 == 0) return ms / 86_400_000 + "d";
        if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            default -> e.getMessage() == null ? kind : e.getMessage();
        };
    }
}
