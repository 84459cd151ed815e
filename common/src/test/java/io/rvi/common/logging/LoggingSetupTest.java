package io.rvi.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** LoggingSetup writes to stdout: each test captures System.out while it logs. */
class LoggingSetupTest {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingSetupTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureStdout() {
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        LoggingSetup.flush();
        System.setOut(original);
        LoggingSetup.apply("text", "info");
        LoggingSetup.flush();
    }

    private List<String> lines() {
        LoggingSetup.flush();
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonFormatWritesOneParseableObjectPerLine() throws Exception {
        LoggingSetup.apply("json", "debug");
        LOG.debug("plain debug");
        LOG.info("quotes \" backslash \\ tab \t newline \n unicode \u00e9\u2603 and control \u0001");
        MDC.put("service", "redis");
        try {
            LOG.atWarn().addKeyValue("attempt", 3).log("with mdc and kv");
        } finally {
            MDC.remove("service");
        }
        LOG.error("failed", new IllegalStateException("boom"));

        List<String> lines = lines();
        assertEquals(4, lines.size(), String.join("\n", lines));
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            events.add(JSON.readTree(line));
        }
        JsonNode first = events.get(0);
        assertEquals("DEBUG", first.path("level").asText());
        assertEquals("plain debug", first.path("msg").asText());
        assertEquals(LoggingSetupTest.class.getName(), first.path("logger").asText());
        assertEquals(Thread.currentThread().getName(), first.path("thread").asText());
        assertTrue(first.path("ts").asText().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"), first.toString());
        assertFalse(first.has("mdc") || first.has("kv") || first.has("error"), first.toString());

        assertEquals("quotes \" backslash \\ tab \t newline \n unicode \u00e9\u2603 and control \u0001", events.get(1).path("msg").asText());
        assertEquals("redis", events.get(2).path("mdc").path("service").asText());
        assertEquals("3", events.get(2).path("kv").path("attempt").asText());
        assertTrue(events.get(3).path("error").asText().startsWith("java.lang.IllegalStateException: boom"), events.get(3).toString());
        assertTrue(events.get(3).path("error").asText().contains("at io.rvi.common.logging.LoggingSetupTest"), events.get(3).toString());
    }

    @Test
    void textFormatUsesThePatternAndTheLevel() {
        LoggingSetup.apply("text", "info");
        LOG.debug("hidden");
        LOG.info("shown {}", 42);
        List<String> lines = lines();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} INFO  \\[" + Thread.currentThread().getName()
                + "] i\\.r\\.c\\.l\\.LoggingSetupTest - shown 42"), lines.get(0));
    }

    @Test
    void applyingAgainReplacesTheAppenderWithoutDuplicatingLines() throws Exception {
        LoggingSetup.apply("text", "info");
        LoggingSetup.apply("text", "warn");
        LOG.info("hidden now");
        LOG.warn("once");
        LoggingSetup.apply("json", "warn");
        LOG.warn("as json");
        LoggingSetup.apply("json", "warn");
        LOG.warn("still once");

        List<String> lines = lines();
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).endsWith(" - once"), lines.get(0));
        assertEquals("as json", JSON.readTree(lines.get(1)).path("msg").asText());
        assertEquals("still once", JSON.readTree(lines.get(2)).path("msg").asText());
    }

    @Test
    void vertxLogsGoThroughSlf4j() throws Exception {
        LoggingSetup.apply("json", "info");
        io.vertx.core.internal.logging.LoggerFactory.getLogger("io.vertx.test").info("from vert.x");
        List<String> lines = lines();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertEquals("io.vertx.test", JSON.readTree(lines.get(0)).path("logger").asText());
        assertEquals("from vert.x", JSON.readTree(lines.get(0)).path("msg").asText());
    }

    @Test
    void linesLoggedAfterFlushAreStillWritten() {
        LoggingSetup.apply("text", "info");
        LoggingSetup.flush();
        LOG.info("after flush");
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains(" - after flush"), captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownFormatOrLevelIsRefused() {
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> LoggingSetup.apply("xml", "info"));
        assertEquals("logging format \"xml\": expected text or json", f.getMessage());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class, () -> LoggingSetup.apply("text", "verbose"));
        assertEquals("logging level \"verbose\": expected trace, debug, info, warn or error", l.getMessage());
        assertEquals(ch.qos.logback.classic.Level.WARN, LoggingSetup.parseLevel("WARN"));
    }
}
