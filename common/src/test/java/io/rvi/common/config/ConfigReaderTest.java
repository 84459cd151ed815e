package io.rvi.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {
    private static final Duration MIN = Duration.ofMillis(10);
    private static final Duration MAX = Duration.ofHours(2);
    private static final Duration DEF = Duration.ofSeconds(7);

    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigReader reader(String yaml) {
        return reader(yaml, Map.of());
    }

    private ConfigReader reader(String yaml, Map<String, String> env) {
        return ConfigReader.parse("c.yaml", new StringReader(yaml), env, problems);
    }

    private List<String> messages() {
        return problems.stream().map(ConfigProblem::toString).toList();
    }

    // ---- durations ----------------------------------------------------------------------

    @Test
    void durationsTakeEveryUnit() {
        ConfigReader r = reader("a: 500ms\nb: 5s\nc: 2m\nd: 1h\ne: ' 30s '\n");
        assertEquals(Duration.ofMillis(500), r.duration("a", DEF, MIN, MAX));
        assertEquals(Duration.ofSeconds(5), r.duration("b", DEF, MIN, MAX));
        assertEquals(Duration.ofMinutes(2), r.duration("c", DEF, MIN, MAX));
        assertEquals(Duration.ofHours(1), r.duration("d", DEF, MIN, MAX));
        assertEquals(Duration.ofSeconds(30), r.duration("e", DEF, MIN, MAX));
        assertEquals(Duration.ofDays(1), ConfigReader.parseDuration("1d"));
        assertEquals(List.of(), messages());
    }

    @Test
    void anAbsentOrEmptyDurationIsTheDefault() {
        ConfigReader r = reader("empty:\n");
        assertEquals(DEF, r.duration("absent", DEF, MIN, MAX));
        assertEquals(DEF, r.duration("empty", DEF, MIN, MAX));
        assertEquals(List.of(), messages());
    }

    @Test
    void malformedOrOutOfRangeDurationsAreProblemsAndGiveTheDefault() {
        ConfigReader r = reader("a: 5\nb: 1.5s\nc: -1s\nd: 5 s\ne: 5ms\nf: 3h\ng: 99999999999999999999d\nh: 9999999999999999d\n");
        for (String k : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
            assertEquals(DEF, r.duration(k, DEF, MIN, MAX), k);
        }
        String expected = "expected a duration from 10ms to 2h (like 500ms, 5s, 2m, 1h)";
        assertEquals(List.of(
                "c.yaml:1: a: got \"5\"; " + expected,
                "c.yaml:2: b: got \"1.5s\"; " + expected,
                "c.yaml:3: c: got \"-1s\"; " + expected,
                "c.yaml:4: d: got \"5 s\"; " + expected,
                "c.yaml:5: e: got \"5ms\"; " + expected,
                "c.yaml:6: f: got \"3h\"; " + expected,
                "c.yaml:7: g: got \"99999999999999999999d\"; " + expected,
                "c.yaml:8: h: got \"9999999999999999d\"; " + expected), messages());
        assertNull(ConfigReader.parseDuration("9999999999999999999d"));
    }

    @Test
    void formatWritesTheLargestWholeUnit() {
        assertEquals("1d", ConfigReader.format(Duration.ofDays(1)));
        assertEquals("3h", ConfigReader.format(Duration.ofHours(3)));
        assertEquals("90m", ConfigReader.format(Duration.ofMinutes(90)));
        assertEquals("5s", ConfigReader.format(Duration.ofSeconds(5)));
        assertEquals("1500ms", ConfigReader.format(Duration.ofMillis(1500)));
        assertEquals("0s", ConfigReader.format(Duration.ZERO));
    }

    // ---- sizes ----------------------------------------------------------------------------

    @Test
    void sizesTakeBytesAndBinaryUnits() {
        ConfigReader r = reader("a: 65536\nb: 64KiB\nc: 16 MiB\nd: 1GiB\ne: 100B\n");
        long max = 4L * 1024 * 1024 * 1024;
        assertEquals(65536, r.bytes("a", 1, 1, max));
        assertEquals(64 * 1024, r.bytes("b", 1, 1, max));
        assertEquals(16L * 1024 * 1024, r.bytes("c", 1, 1, max));
        assertEquals(1024L * 1024 * 1024, r.bytes("d", 1, 1, max));
        assertEquals(100, r.bytes("e", 1, 1, max));
        assertEquals(77, r.bytes("absent", 77, 1, max));
        assertEquals(List.of(), messages());
    }

    @Test
    void malformedOversizedOrOverflowingSizesAreProblems() {
        ConfigReader r = reader("a: 64KB\nb: 1.5MiB\nc: 2GiB\nd: 512\ne: 17179869184GiB\nf: -1\n");
        for (String k : List.of("a", "b", "c", "d", "e", "f")) {
            assertEquals(4096, r.bytes(k, 4096, 1024, 1024L * 1024 * 1024), k);
        }
        String expected = "expected a size from 1024 to 1073741824 bytes (like 65536, 64KiB, 16MiB)";
        assertEquals(List.of(
                "c.yaml:1: a: got \"64KB\"; " + expected,
                "c.yaml:2: b: got \"1.5MiB\"; " + expected,
                "c.yaml:3: c: got \"2GiB\"; " + expected,
                "c.yaml:4: d: got \"512\"; " + expected,
                "c.yaml:5: e: got \"17179869184GiB\"; " + expected,
                "c.yaml:6: f: got \"-1\"; " + expected), messages());
    }

    // ---- other scalars --------------------------------------------------------------------

    @Test
    void integersBoolsAndChoices() {
        enum Mode { SPAWN, SYSTEMD }
        ConfigReader r = reader("i: 42\nj: 4.0\nk: 1001\nb: true\nc: yes\nm: systemd\nn: docker\no: SPAWN\n");
        assertEquals(42, r.integer("i", 0, 0, 1000));
        assertEquals(0, r.integer("j", 0, 0, 1000));
        assertEquals(0, r.integer("k", 0, 0, 1000));
        assertTrue(r.bool("b", false));
        assertFalse(r.bool("c", false));
        assertEquals(Mode.SYSTEMD, r.choice("m", Mode.SPAWN, Mode.class));
        assertEquals(Mode.SPAWN, r.choice("n", Mode.SPAWN, Mode.class));
        assertEquals(Mode.SPAWN, r.choice("o", Mode.SPAWN, Mode.class));
        assertEquals(List.of(
                "c.yaml:2: j: got \"4.0\"; expected an integer from 0 to 1000",
                "c.yaml:3: k: got \"1001\"; expected an integer from 0 to 1000",
                "c.yaml:5: c: got \"yes\"; expected true or false",
                "c.yaml:7: n: got \"docker\"; expected one of spawn, systemd",
                "c.yaml:8: o: got \"SPAWN\"; expected one of spawn, systemd"), messages());
    }

    @Test
    void hostPorts() {
        ConfigReader r = reader("a: 127.0.0.1:6379\nb: '[::1]:26379'\nc: localhost\nd: ':6379'\ne: h:0\nf: h:65536\ng: h:x\n");
        assertEquals(new HostPort("127.0.0.1", 6379), r.hostPort("a", null));
        assertEquals(new HostPort("::1", 26379), r.hostPort("b", null));
        assertEquals("[::1]:26379", r.hostPort("b", null).toString());
        for (String k : List.of("c", "d", "e", "f", "g")) {
            assertNull(r.hostPort(k, null), k);
        }
        assertEquals(5, problems.size(), messages().toString());
        assertEquals("c.yaml:3: c: got \"localhost\"; expected host:port with a port from 1 to 65535 (like 127.0.0.1:6379)", messages().get(0));
    }

    @Test
    void requiredStrings() {
        ConfigReader r = reader("a: x\nb:\nc: '  '\n");
        assertEquals("x", r.requiredString("a"));
        assertNull(r.requiredString("b"));
        assertNull(r.requiredString("c"));
        assertNull(r.requiredString("d"));
        assertEquals(List.of(
                "c.yaml:2: b: required; expected a non-empty string",
                "c.yaml:3: c: got \"  \"; expected a non-empty string",
                "c.yaml:1: d: required; expected a non-empty string"), messages());
    }

    @Test
    void aMappingWhereAValueBelongsIsAProblem() {
        ConfigReader r = reader("port:\n  x: 1\n");
        assertEquals(5, r.integer("port", 5, 0, 10));
        assertEquals(List.of("c.yaml:1: port: expected a single value, found a mapping"), messages());
    }

    // ---- lists ----------------------------------------------------------------------------

    @Test
    void stringListsInBothStylesAndTheirItemProblems() {
        ConfigReader r = reader("a: [x, y]\nb:\n  - p\n  - {k: v}\n  - q\nc: scalar\nd: []\n", Map.of());
        assertEquals(List.of("x", "y"), r.stringList("a", List.of()));
        assertEquals(List.of("p", "q"), r.stringList("b", List.of()));
        assertEquals(List.of("def"), r.stringList("c", List.of("def")));
        assertEquals(List.of(), r.stringList("d", List.of("def")));
        assertEquals(List.of("def"), r.stringList("absent", List.of("def")));
        assertEquals(List.of(
                "c.yaml:4: b[1]: expected a string, found a mapping",
                "c.yaml:6: c: got \"scalar\"; expected a list of strings, found a scalar"), messages());
    }

    @Test
    void aProblemWithAListItemNamesItsIndexAndLine() {
        ConfigReader r = reader("urls:\n  - http://a\n  - ftp://b\n");
        r.stringList("urls", List.of());
        r.problem("urls", 1, "ftp://b", "expected an http:// URL");
        assertEquals(List.of("c.yaml:3: urls[1]: got \"ftp://b\"; expected an http:// URL"), messages());
    }

    // ---- environment ----------------------------------------------------------------------

    @Test
    void environmentVariablesAndDefaultsAreInterpolated() {
        ConfigReader r = reader("a: ${HOST}:${PORT:-6379}\nb: ${UNSET:-fallback}\nc: ${UNSET:-}\nd: cost $$5 and a$b\ne: [\"${HOST}\", x]\n",
                Map.of("HOST", "10.0.0.1"));
        assertEquals("10.0.0.1:6379", r.string("a", null));
        assertEquals("fallback", r.string("b", null));
        assertEquals("", r.string("c", null));
        assertEquals("cost $5 and a$b", r.string("d", null));
        assertEquals(List.of("10.0.0.1", "x"), r.stringList("e", List.of()));
        assertEquals(List.of(), messages());
    }

    @Test
    void aMissingEnvironmentVariableIsAProblemAtTheValue() {
        ConfigReader r = reader("s:\n  host: ${RVI_NOT_SET}\n  list: [ok, '${RVI_ALSO_NOT_SET}']\n");
        ConfigReader s = r.section("s");
        assertEquals("", s.string("host", "def"));
        s.stringList("list", List.of());
        assertEquals(List.of(
                "c.yaml:2: s.host: got \"${RVI_NOT_SET}\"; environment variable RVI_NOT_SET is not set; set it or write ${RVI_NOT_SET:-default}",
                "c.yaml:3: s.list[1]: got \"${RVI_ALSO_NOT_SET}\"; environment variable RVI_ALSO_NOT_SET is not set; "
                        + "set it or write ${RVI_ALSO_NOT_SET:-default}"), messages());
    }

    // ---- secrets --------------------------------------------------------------------------

    @Test
    void aSecretFileGivesItsFirstLineAndNeverShowsIt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, "  s3cr3t-value  \nsecond line\n");
        ConfigReader r = reader("token_file: " + f + "\n");
        Secret s = r.secretFile("token_file");
        assertEquals("s3cr3t-value", s.reveal());
        assertTrue(s.matches("s3cr3t-value"));
        assertFalse(s.matches("s3cr3t-valu"));
        assertFalse(s.matches(null));
        assertEquals("<secret from " + f + ">", s.toString());
        assertNull(r.secretFile("absent"));
        assertEquals(List.of(), messages());
    }

    @Test
    void aMissingOrEmptySecretFileIsAProblemThatShowsOnlyThePath(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, " \n\n");
        Path missing = dir.resolve("missing");
        ConfigReader r = reader("a: " + empty + "\nb: " + missing + "\n");
        assertNull(r.secretFile("a"));
        assertNull(r.secretFile("b"));
        assertEquals(List.of(
                "c.yaml:1: a: got \"" + empty + "\"; the file is empty; expected a file holding the secret",
                "c.yaml:2: b: got \"" + missing + "\"; the file cannot be read (no such file); expected a readable file holding the secret"),
                messages());
    }

    // ---- sections and unknown keys ---------------------------------------------------------

    @Test
    void absentSectionsGiveDefaultsAndMissingKeysPointAtTheSectionsKey() {
        ConfigReader r = reader("agent:\n  id: x\nservices:\n  redis:\n    probe:\n      interval: 1s\n");
        ConfigReader absent = r.section("http");
        assertEquals(9650, absent.integer("port", 9650, 0, 65535));
        ConfigReader redis = r.section("services").section("redis");
        redis.problem("address", null, "required");
        assertEquals(List.of("c.yaml:4: services.redis.address: required"), messages());
        assertEquals("services.redis", redis.path());
        assertEquals("services.redis.address", redis.pathOf("address"));
    }

    @Test
    void aScalarWhereASectionBelongsIsAProblem() {
        ConfigReader r = reader("http: 9650\n");
        r.section("http").integer("port", 1, 0, 65535);
        assertEquals(List.of("c.yaml:1: http: got \"9650\"; expected a mapping (a section of keys), found a scalar"), messages());
    }

    @Test
    void unknownKeysAtEveryLevelAreReportedWithTheKnownOnesAndANearMatch() {
        ConfigReader r = reader("http:\n  prot: 1\n  bind: x\nservces: {}\nbogus_key: 1\n");
        ConfigReader h = r.section("http");
        h.string("bind", null);
        h.integer("port", 1, 0, 65535);
        r.section("services");
        r.finish();
        assertEquals(List.of(
                "c.yaml:4: servces: unknown key (did you mean services?); expected one of: http, services",
                "c.yaml:5: bogus_key: unknown key; expected one of: http, services",
                "c.yaml:2: http.prot: unknown key (did you mean port?); expected one of: bind, port"), messages());
    }

    @Test
    void readingASectionTwiceGivesTheSameReaderSoNoKnownKeyIsCalledUnknown() {
        ConfigReader r = reader("http:\n  port: 1\n  bind: x\n");
        ConfigReader first = r.section("http");
        first.integer("port", 0, 0, 65535);
        ConfigReader second = r.section("http");
        second.string("bind", null);
        assertSame(first, second);
        r.finish();
        assertEquals(List.of(), messages());
    }

    @Test
    void namedSectionsKeepFileOrder() {
        ConfigReader r = reader("services:\n  b: {x: 1}\n  a: {x: 2}\n");
        assertEquals(List.of("b", "a"), List.copyOf(r.namedSections("services").keySet()));
        assertEquals(2, r.namedSections("services").get("a").integer("x", 0, 0, 9));
    }

    @Test
    void aFileThatCannotBeReadIsOneProblem(@TempDir Path dir) {
        ConfigReader r = ConfigReader.read(dir.resolve("nope.yaml"), Map.of(), problems);
        r.finish();
        assertEquals(List.of(dir.resolve("nope.yaml") + ": (top level): cannot be read: no such file"), messages());
    }

    @Test
    void closestNeedsAFewEditsOnly() {
        java.util.Set<String> known = new java.util.LinkedHashSet<>(List.of("port", "bind", "token_file", "max_body_bytes"));
        assertEquals("port", KeySuggestion.closest("prot", known));
        assertEquals("token_file", KeySuggestion.closest("tokenfile", known));
        assertEquals("bind", KeySuggestion.closest("Bind", known));
        assertNull(KeySuggestion.closest("x", known));
        assertNull(KeySuggestion.closest("colour", known));
    }
}
