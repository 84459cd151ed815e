package io.rvi.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.config.ConfigException;
import io.rvi.common.config.ConfigProblem;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file in {@code config-fixtures/bad} is a broken agent config that says, in its
 * {@code # expect:} comment lines, the exact problems (in order) the loader must report.
 * {@code {file}} stands for the fixture's path, {@code {dir}} for the fixtures folder.
 */
class AgentConfigFixturesTest {
    static final String EXPECT = "# expect: ";

    static Path fixtures() {
        try {
            return Path.of(AgentConfigFixturesTest.class.getResource("/config-fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static AgentConfigLoader loader(Map<String, String> extraEnv) {
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("FIXTURES", fixtures().toString());
        return new AgentConfigLoader(Map.copyOf(env), "testhost");
    }

    @TestFactory
    Stream<DynamicTest> eachBadFixtureReportsExactlyItsExpectedProblems() throws IOException {
        Path bad = fixtures().resolve("bad");
        List<Path> files;
        try (Stream<Path> s = Files.list(bad)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "fixtures found: " + files);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            List<String> expected = Files.readAllLines(f).stream().filter(l -> l.startsWith(EXPECT))
                    .map(l -> l.substring(EXPECT.length()).replace("{file}", f.toString()).replace("{dir}", fixtures().toString()))
                    .toList();
            ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(f));
            List<String> actual = e.problems().stream().map(ConfigProblem::toString).toList();
            assertFalse(expected.isEmpty(), () -> "no '# expect:' line in " + f + "; the loader says:\n" + String.join("\n", actual));
            assertEquals(String.join("\n", expected), String.join("\n", actual));
            assertEquals(String.join("\n", actual), e.getMessage(), "the exception's message lists every problem");
            for (String secret : List.of("api-token-abc123", "agent-token-def456", "redis-pass-ghi789")) {
                assertFalse(e.getMessage().contains(secret), "a secret is in a message: " + e.getMessage());
            }
        }));
    }

    @Test
    void aMissingFileIsOneProblem() {
        Path missing = fixtures().resolve("no-such.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(missing));
        assertEquals(missing + ": (top level): cannot be read: no such file", e.getMessage());
    }
}
