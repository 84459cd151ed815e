package io.rvi.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlTreeTest {
    private final List<ConfigProblem> problems = new ArrayList<>();

    private YamlNode parse(String yaml) {
        return YamlTree.parse("t.yaml", new StringReader(yaml), problems);
    }

    private List<String> messages() {
        return problems.stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void nodesKeepTheLinesTheyWereWrittenOn() {
        YamlNode.Mapping root = (YamlNode.Mapping) parse("# comment\na: 1\nb:\n  c: [x, y]\n  d:\n    - p\n    - q\n");
        assertEquals(List.of(), messages());
        assertEquals(2, root.keyLines().get("a"));
        assertEquals(3, root.keyLines().get("b"));
        YamlNode.Mapping b = (YamlNode.Mapping) root.entries().get("b");
        assertEquals(4, b.keyLines().get("c"));
        YamlNode.Sequence d = (YamlNode.Sequence) b.entries().get("d");
        assertEquals(6, d.items().get(0).line());
        assertEquals(7, d.items().get(1).line());
        assertEquals("q", ((YamlNode.Scalar) d.items().get(1)).text());
    }

    @Test
    void emptyValuesAreNullScalars() {
        YamlNode.Mapping root = (YamlNode.Mapping) parse("a:\nb: ~\nc: null\nd: ''\ne:\n  # all commented out\n");
        assertNull(((YamlNode.Scalar) root.entries().get("a")).text());
        assertNull(((YamlNode.Scalar) root.entries().get("b")).text());
        assertNull(((YamlNode.Scalar) root.entries().get("c")).text());
        assertEquals("", ((YamlNode.Scalar) root.entries().get("d")).text());
        assertNull(((YamlNode.Scalar) root.entries().get("e")).text());
    }

    @Test
    void reasonPicksTheProblemAndTheStructureItWasIn() {
        assertEquals("expected <block end>, but found '-' (while parsing a block mapping started on line 1)", YamlTree.reason(
                "while parsing a block mapping\n in 'reader', line 1, column 1:\n    a: 1\n    ^\n"
                        + "expected <block end>, but found '-'\n in 'reader', line 2, column 1:\n    - b\n    ^\n"));
        assertEquals("mapping values are not allowed here", YamlTree.reason(
                "mapping values are not allowed here\n in 'reader', line 1, column 7:\n    a: b: c\n          ^\n"));
        assertEquals("syntax error", YamlTree.reason(null));
    }

    @Test
    void scalarsKeepTheirTextAsWritten() {
        YamlNode.Mapping root = (YamlNode.Mapping) parse("a: 0010\nb: yes\nc: 1.50\nd: \"quoted: x\"\n");
        assertEquals("0010", ((YamlNode.Scalar) root.entries().get("a")).text());
        assertEquals("yes", ((YamlNode.Scalar) root.entries().get("b")).text());
        assertEquals("1.50", ((YamlNode.Scalar) root.entries().get("c")).text());
        assertEquals("quoted: x", ((YamlNode.Scalar) root.entries().get("d")).text());
    }

    @Test
    void anEmptyDocumentIsAnEmptyMapping() {
        YamlNode n = parse("# nothing here\n");
        assertInstanceOf(YamlNode.Mapping.class, n);
        assertTrue(((YamlNode.Mapping) n).entries().isEmpty());
        assertEquals(List.of(), messages());
    }

    @Test
    void aDuplicateKeyIsAProblemAtItsSecondLineAndTheFirstValueIsKept() {
        YamlNode.Mapping root = (YamlNode.Mapping) parse("http:\n  port: 1\n  bind: x\n  port: 2\n");
        assertEquals(List.of("t.yaml:4: http.port: duplicate key (first set on line 2)"), messages());
        assertEquals("1", ((YamlNode.Scalar) ((YamlNode.Mapping) root.entries().get("http")).entries().get("port")).text());
    }

    @Test
    void invalidSyntaxIsOneProblemSayingWhatAndWhere() {
        assertNull(parse("http:\n  port: [9650\nlogging:\n  level: info\n"));
        assertEquals(List.of("t.yaml:3: (top level): not valid YAML: expected ',' or ']', but got : "
                + "(while parsing a flow sequence started on line 2)"), messages());
    }

    @Test
    void aTabIndentIsOneProblem() {
        assertNull(parse("http:\n\tport: 1\n"));
        assertEquals(1, problems.size(), messages().toString());
        assertTrue(messages().get(0).startsWith("t.yaml:2: (top level): not valid YAML: found character '\\t(TAB)' that cannot start any token"),
                messages().get(0));
    }

    @Test
    void moreThanOneDocumentIsAProblem() {
        parse("a: 1\n---\nb: 2\n");
        assertEquals(List.of("t.yaml:3: (top level): expected one YAML document, found more"), messages());
    }
}
