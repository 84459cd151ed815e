package io.rvi.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rvi.common.ExitCode;
import io.rvi.common.StartupException;
import io.rvi.common.protocol.AgentEvent;
import io.rvi.common.protocol.ObservedState;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SqliteStoreTest {
    private final Path dir = TempDirs.create("store");
    private final Path db = dir.resolve("sub/coordinator.db");

    @AfterEach
    void tearDown() {
        TempDirs.delete(dir);
    }

    private static List<AgentEvent> events(long from, long to, long receivedTime) {
        return LongStream.rangeClosed(from, to)
                .mapToObj(s -> new AgentEvent(s, receivedTime, s % 2 == 0 ? "even" : "odd", "info", s == 1 ? null : "redis", "e" + s,
                        s == 1 ? null : Map.of("n", s)))
                .toList();
    }

    @Test
    void aResentBatchIsStoredOnce() throws Exception {
        try (SqliteStore s = SqliteStore.open(db)) {
            assertEquals(new InsertResult(5, 5), s.insertEvents("a1", "i1", events(1, 5, 10), 100));
            assertEquals(new InsertResult(0, 5), s.insertEvents("a1", "i1", events(1, 5, 10), 101));
            assertEquals(new InsertResult(2, 7), s.insertEvents("a1", "i1", events(4, 7, 10), 102));
            assertEquals(new InsertResult(3, 3), s.insertEvents("a1", "i2", events(1, 3, 10), 103), "another incarnation is separate");
            assertEquals(new InsertResult(0, 7), s.insertEvents("a1", "i1", List.of(), 104), "an empty batch asks how far it got");
            assertEquals(new InsertResult(0, 0), s.insertEvents("a9", "i1", List.of(), 104));
            assertEquals(10, s.countEvents());
        }
    }

    @Test
    void eventsPageByCursorAndFilter() throws Exception {
        try (SqliteStore s = SqliteStore.open(db)) {
            s.insertEvents("a1", "i1", events(1, 10, 10), 100);
            s.insertEvents("a2", "i1", events(1, 4, 10), 100);
            List<StoredEvent> page1 = s.events(new EventQuery(0, null, null, 6));
            assertEquals(6, page1.size());
            List<StoredEvent> page2 = s.events(new EventQuery(page1.get(5).id(), null, null, 100));
            assertEquals(8, page2.size());
            assertEquals(List.of(1L, 2L, 3L, 4L), s.events(new EventQuery(0, "a2", null, 100)).stream().map(StoredEvent::seq).toList());
            assertEquals(List.of(2L, 4L), s.events(new EventQuery(0, "a2", "even", 100)).stream().map(StoredEvent::seq).toList());
            StoredEvent first = page1.get(0);
            assertNull(first.service());
            assertNull(first.data());
            assertEquals(Map.of("n", 2), page1.get(1).data());
            assertEquals("redis", page1.get(1).service());
        }
    }

    @Test
    void pruningByAgeThenCount() throws Exception {
        try (SqliteStore s = SqliteStore.open(db)) {
            s.insertEvents("a1", "i1", events(1, 10, 10), 1000);
            s.insertEvents("a1", "i1", events(11, 30, 10), 5000);
            assertEquals(10, s.prune(Retention.cutoff(6000, Duration.ofMillis(2000)), 1000));
            assertEquals(20, s.countEvents());
            assertEquals(15, s.prune(0, 5));
            List<StoredEvent> left = s.events(new EventQuery(0, null, null, 100));
            assertEquals(List.of(26L, 27L, 28L, 29L, 30L), left.stream().map(StoredEvent::seq).toList(), "the newest are kept");
            s.insertEvents("a1", "i1", events(31, 31, 10), 7000);
            assertEquals(left.get(4).id() + 1, s.events(new EventQuery(left.get(4).id(), null, null, 10)).get(0).id(),
                    "ids keep increasing after pruning");
        }
    }

    @Test
    void agentsKeepTheirFirstSeenAndSurviveAReopen() throws Exception {
        ObservedState st = new ObservedState("a1", "main", "h1", "1.0", 1, 2, true,
                List.of(new ServiceState("redis", "redis", "spawn", "running", "healthy", 42, "master", "127.0.0.1:6379", 0, "ok", 5)));
        try (SqliteStore s = SqliteStore.open(db)) {
            s.upsertAgent(new AgentRow("a1", "main", "h1", "1.0", "i1", 100, 100, 5000, st));
            s.upsertAgent(new AgentRow("a1", "main", "h1", "1.1", "i1", 999, 200, 5000, st));
        }
        try (SqliteStore s = SqliteStore.open(db)) {
            List<AgentRow> rows = s.agents();
            assertEquals(1, rows.size());
            AgentRow r = rows.get(0);
            assertEquals(100, r.firstSeen());
            assertEquals(200, r.lastSeen());
            assertEquals("1.1", r.version());
            assertEquals(st, r.lastState());
        }
    }

    @Test
    void usesWal() throws Exception {
        try (SqliteStore s = SqliteStore.open(db)) {
            s.insertEvents("a1", "i1", events(1, 1, 1), 1);
            assertEquals(true, Files.exists(Path.of(db + "-wal")));
        }
    }

    @Test
    void aStoreDirectoryThatCannotBeMadeIsExitCode5() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        StartupException e = assertThrows(StartupException.class, () -> SqliteStore.open(file.resolve("db/coordinator.db")));
        assertEquals(ExitCode.STATE_DIR, e.exitCode());
    }
}
