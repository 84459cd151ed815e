package io.rvi.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.common.protocol.AgentEvent;
import io.rvi.testkit.TempDirs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private Vertx vertx;
    private WorkerExecutor worker;
    private Path dir;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        worker = vertx.createSharedWorkerExecutor("test-outbox", 1);
        dir = TempDirs.create("outbox").resolve("outbox");
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void tearDown() throws Exception {
        await(vertx.close());
        TempDirs.delete(dir.getParent());
    }

    private Outbox open(int max) {
        registry = new SimpleMeterRegistry();
        return Outbox.open(dir, max, worker, registry);
    }

    private static void add(Outbox o, int n) {
        for (int i = 0; i < n; i++) {
            o.add(1000 + i, "test", AgentEvent.INFO, "redis", "event " + i, Map.of("i", i));
        }
    }

    private static List<Long> seqs(List<AgentEvent> events) {
        return events.stream().map(AgentEvent::seq).toList();
    }

    private static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void numberingAndUnackedEventsSurviveARestart() throws Exception {
        Outbox o = open(1000);
        String incarnation = o.incarnation();
        add(o, 10);
        await(o.flush());
        assertEquals(range(1, 10), seqs(await(o.next(100))));
        o.close();

        Outbox again = open(1000);
        assertEquals(incarnation, again.incarnation(), "incarnation is kept per state dir");
        assertEquals(10, again.pending());
        List<AgentEvent> events = await(again.next(100));
        assertEquals(range(1, 10), seqs(events));
        assertEquals("event 3", events.get(3).message());
        assertEquals(Map.of("i", 3), events.get(3).data());
        assertEquals(11, again.add(1, "t", "info", null, "m", null).seq(), "numbering continues");
        again.close();
    }

    @Test
    void theAckPointerIsPersistedAndDoneSegmentsAreDeleted() throws Exception {
        Outbox o = open(80);   // 10 events per segment
        add(o, 25);
        await(o.flush());
        await(o.ack(14));
        assertEquals(11, o.pending());
        assertEquals(15, await(o.next(1)).get(0).seq());
        o.close();
        assertEquals(2, segmentFiles().size(), "the segment of 1..10 is gone, 11..20 and 21..25 stay");

        Outbox again = open(80);
        assertEquals(11, again.pending());
        assertEquals(range(15, 25), seqs(await(again.next(100))));
        await(again.ack(25));
        assertEquals(0, again.pending());
        assertTrue(await(again.next(100)).isEmpty());
        again.close();
        assertEquals(0, segmentFiles().size());

        Outbox third = open(80);
        assertEquals(26, third.add(1, "t", "info", null, "m", null).seq(), "numbering continues after everything was acked");
        third.close();
    }

    @Test
    void whenFullTheOldestUndeliveredAreDropped() throws Exception {
        Outbox o = open(10);
        add(o, 25);
        await(o.flush());
        assertEquals(10, o.pending());
        assertEquals(15, o.dropped());
        assertEquals(15.0, registry.get("rvi.outbox.dropped").counter().count());
        assertEquals(10.0, registry.get("rvi.outbox.pending").gauge().value());
        assertEquals(range(16, 25), seqs(await(o.next(100))));
        o.close();

        Outbox again = open(10);
        assertEquals(range(16, 25), seqs(await(again.next(100))), "the drop is persisted");
        again.close();
    }

    @Test
    void aTornLastLineIsCutOffAtRecovery() throws Exception {
        Outbox o = open(1000);
        add(o, 3);
        await(o.flush());
        o.close();
        Path seg = segmentFiles().get(0);
        Files.writeString(seg, "{\"seq\":4,\"time\":1,\"ty", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        Outbox again = open(1000);
        assertEquals(3, again.pending());
        assertEquals(4, again.add(1, "t", "info", null, "m", null).seq());
        await(again.flush());
        again.close();

        Outbox third = open(1000);
        assertEquals(range(1, 4), seqs(await(third.next(100))));
        third.close();
    }

    @Test
    void batchesWalkSegmentsInOrder() throws Exception {
        Outbox o = open(100);   // 12 events per segment
        add(o, 50);
        await(o.flush());
        assertEquals(range(1, 20), seqs(await(o.next(20))));
        await(o.ack(20));
        assertEquals(range(21, 40), seqs(await(o.next(20))));
        await(o.ack(40));
        assertEquals(range(41, 50), seqs(await(o.next(20))));
        o.close();
    }

    @Test
    void anAckBeyondTheLastEventIsClamped() throws Exception {
        Outbox o = open(100);
        add(o, 3);
        await(o.flush());
        await(o.ack(1000));
        assertEquals(0, o.pending());
        add(o, 1);
        await(o.flush());
        assertEquals(List.of(4L), seqs(await(o.next(10))));
        o.close();
    }

    @Test
    void eachStateDirHasItsOwnIncarnation() {
        Outbox a = open(100);
        Path other = TempDirs.create("outbox-other");
        Outbox b = Outbox.open(other.resolve("outbox"), 100, worker, new SimpleMeterRegistry());
        assertNotEquals(a.incarnation(), b.incarnation());
        a.close();
        b.close();
        TempDirs.delete(other);
    }

    @Test
    void dataThatIsNotJsonIsReplacedByANote() throws Exception {
        Outbox o = open(100);
        AgentEvent e = o.add(1, "t", "info", null, "m", Map.of("bad", new Object()));
        assertTrue(e.data().containsKey("unserializable_data"), e.data().toString());
        await(o.flush());
        assertEquals(1, await(o.next(10)).size());
        o.close();
    }

    @Test
    void listenersHearOfEventsOnDisk() throws Exception {
        Outbox o = open(100);
        AtomicInteger calls = new AtomicInteger();
        o.onAppended(calls::incrementAndGet);
        add(o, 5);
        await(o.flush());
        assertTrue(calls.get() >= 1);
        o.close();
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList();
        }
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
