package io.rvi.common.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses YAML (with Jackson's YAML parser) into {@link YamlNode}s that keep their line numbers.
 * Syntax errors and duplicate keys become {@link ConfigProblem}s.
 */
public final class YamlTree {
    /** An empty plain value ({@code key:}) is null, like {@code ~}; a quoted {@code ''} stays an empty string. */
    private static final YAMLFactory FACTORY = YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();
    private static final Pattern MARK_LINE = Pattern.compile("line (\\d+), column");

    private final String file;
    private final List<ConfigProblem> problems;

    private YamlTree(String file, List<ConfigProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** Parses one document; returns null (and adds a problem) when the text is not valid YAML. */
    public static YamlNode parse(String file, Reader text, List<ConfigProblem> problems) {
        YamlTree tree = new YamlTree(file, problems);
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new YamlNode.Mapping(new LinkedHashMap<>(), Map.of(), 1);
            }
            YamlNode root = tree.value(p, "");
            if (p.nextToken() != null) {
                problems.add(new ConfigProblem(file, line(p.currentTokenLocation()), "", null,
                        "expected one YAML document, found more"));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int at = problemLine(e.getOriginalMessage());
            problems.add(new ConfigProblem(file, at > 0 ? at : loc == null ? 0 : line(loc), "", null,
                    "not valid YAML: " + reason(e.getOriginalMessage())));
            return null;
        } catch (IOException e) {
            problems.add(new ConfigProblem(file, 0, "", null, "cannot be read: " + e.getMessage()));
            return null;
        }
    }

    private YamlNode value(JsonParser p, String path) throws IOException {
        int line = line(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p.currentTokenLocation());
                    p.nextToken();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    YamlNode child = value(p, childPath);
                    if (entries.containsKey(key)) {
                        problems.add(new ConfigProblem(file, keyLine, childPath, null,
                                "duplicate key (first set on line " + keyLines.get(key) + ")"));
                        continue;
                    }
                    entries.put(key, child);
                    keyLines.put(key, keyLine);
                }
                return new YamlNode.Mapping(entries, keyLines, line);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, path + "[" + i++ + "]"));
                }
                return new YamlNode.Sequence(items, line);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(null, line);
            }
            default -> {
                return new YamlNode.Scalar(p.getText(), line);
            }
        }
    }

    /**
     * The parser's complaint in one line. Its message has unindented lines (the context, like
     * "while parsing a flow sequence", then the problem) each followed by indented position lines.
     */
    static String reason(String message) {
        if (message == null || message.isBlank()) {
            return "syntax error";
        }
        List<String> heads = new ArrayList<>();
        List<Integer> headLines = new ArrayList<>();
        for (String l : message.split("\n")) {
            if (l.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(l.charAt(0))) {
                heads.add(l.strip());
                headLines.add(0);
            } else if (!heads.isEmpty() && headLines.get(heads.size() - 1) == 0) {
                Matcher m = MARK_LINE.matcher(l);
                if (m.find()) {
                    headLines.set(heads.size() - 1, Integer.parseInt(m.group(1)));
                }
            }
        }
        if (heads.isEmpty()) {
            return message.strip();
        }
        String problem = heads.get(heads.size() - 1);
        String context = heads.get(0);
        if (heads.size() > 1 && context.startsWith("while parsing")) {
            return problem + " (" + context + (headLines.get(0) > 0 ? " started on line " + headLines.get(0) : "") + ")";
        }
        return problem;
    }

    /** The line the parser's problem (its last unindented line) points at, or 0. */
    static int problemLine(String message) {
        if (message == null) {
            return 0;
        }
        int line = 0;
        boolean afterHead = false;
        for (String l : message.split("\n")) {
            if (l.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(l.charAt(0))) {
                afterHead = true;
                line = 0;
            } else if (afterHead) {
                Matcher m = MARK_LINE.matcher(l);
                if (m.find()) {
                    line = Integer.parseInt(m.group(1));
                    afterHead = false;
                }
            }
        }
        return line;
    }

    private static int line(JsonLocation loc) {
        return loc == null ? 0 : loc.getLineNr();
    }
}
