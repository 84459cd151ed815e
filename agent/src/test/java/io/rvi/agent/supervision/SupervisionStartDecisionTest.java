package io.rvi.agent.supervision;

import static io.rvi.agent.supervision.StartDecision.Action.ADOPT;
import static io.rvi.agent.supervision.StartDecision.Action.FOREIGN;
import static io.rvi.agent.supervision.StartDecision.Action.REPLACE;
import static io.rvi.agent.supervision.StartDecision.Action.SPAWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SupervisionStartDecisionTest {
    static final String EXE = "/usr/bin/redis-check-rdb";
    static final String HASH = PidRecord.hashArgs(List.of("/etc/redis/redis.conf"));
    static final StartDecision.Expected EXPECTED = new StartDecision.Expected("/usr/bin/redis-server", EXE, "127.0.0.1:6379", HASH);
    static final long STARTED = 1_700_000_000_000L;
    static final PidRecord RECORD = new PidRecord(4242, STARTED, "/usr/bin/redis-server", EXE, "127.0.0.1:6379", HASH);
    static final ProcessFacts SAME = new ProcessFacts(4242, true, STARTED + 10, EXE);

    @Test
    void noPidfileAndFreePortSpawns() {
        StartDecision.Outcome o = StartDecision.decide(null, null, false, EXPECTED);
        assertEquals(SPAWN, o.action());
        assertFalse(o.stalePidFile());
    }

    @Test
    void noPidfileAndPortInUseIsForeign() {
        StartDecision.Outcome o = StartDecision.decide(null, null, true, EXPECTED);
        assertEquals(FOREIGN, o.action());
        assertTrue(o.reason().contains("no pidfile"), o.reason());
    }

    @Test
    void liveMatchingProcessIsAdopted() {
        StartDecision.Outcome o = StartDecision.decide(RECORD, SAME, true, EXPECTED);
        assertEquals(ADOPT, o.action());
        assertEquals(4242, o.pid());
    }

    @Test
    void liveMatchingProcessNotAnsweringYetIsStillAdopted() {
        StartDecision.Outcome o = StartDecision.decide(RECORD, SAME, false, EXPECTED);
        assertEquals(ADOPT, o.action());
        assertTrue(o.reason().contains("not answering"), o.reason());
    }

    @Test
    void deadPidIsStale() {
        assertEquals(SPAWN, StartDecision.decide(RECORD, ProcessFacts.gone(4242), false, EXPECTED).action());
        StartDecision.Outcome o = StartDecision.decide(RECORD, ProcessFacts.gone(4242), true, EXPECTED);
        assertEquals(FOREIGN, o.action());
        assertTrue(o.stalePidFile());
    }

    @Test
    void reusedPidIsRecognisedByItsStartTime() {
        ProcessFacts reused = new ProcessFacts(4242, true, STARTED + 60_000, EXE);
        StartDecision.Outcome o = StartDecision.decide(RECORD, reused, true, EXPECTED);
        assertEquals(FOREIGN, o.action());
        assertTrue(o.stalePidFile());
        assertTrue(o.reason().contains("PID reused"), o.reason());
        assertEquals(SPAWN, StartDecision.decide(RECORD, reused, false, EXPECTED).action());
    }

    @Test
    void startTimeWithinToleranceMatches() {
        ProcessFacts f = new ProcessFacts(4242, true, STARTED - StartDecision.START_TOLERANCE_MS, EXE);
        assertEquals(ADOPT, StartDecision.decide(RECORD, f, true, EXPECTED).action());
    }

    @Test
    void reusedPidIsRecognisedByItsExecutable() {
        ProcessFacts other = new ProcessFacts(4242, true, STARTED, "/usr/bin/python3.11");
        StartDecision.Outcome o = StartDecision.decide(RECORD, other, false, EXPECTED);
        assertEquals(SPAWN, o.action());
        assertTrue(o.stalePidFile());
        ProcessFacts unreadable = new ProcessFacts(4242, true, -1, null);
        assertEquals(SPAWN, StartDecision.decide(RECORD, unreadable, false, EXPECTED).action());
    }

    @Test
    void ourProcessWithOtherSettingsIsReplaced() {
        StartDecision.Expected otherArgs = new StartDecision.Expected("/usr/bin/redis-server", EXE, "127.0.0.1:6379",
                PidRecord.hashArgs(List.of("/etc/redis/other.conf")));
        StartDecision.Outcome o = StartDecision.decide(RECORD, SAME, true, otherArgs);
        assertEquals(REPLACE, o.action());
        assertEquals(4242, o.pid());
        assertTrue(o.reason().contains("argument"), o.reason());
        StartDecision.Expected otherAddress = new StartDecision.Expected("/usr/bin/redis-server", EXE, "127.0.0.1:6380", HASH);
        assertEquals(REPLACE, StartDecision.decide(RECORD, SAME, false, otherAddress).action());
    }

    @Test
    void argsHashIsOrderSensitiveAndNotTheArgs() {
        String h = PidRecord.hashArgs(List.of("--requirepass", "s3cret"));
        assertFalse(h.contains("s3cret"));
        assertFalse(h.equals(PidRecord.hashArgs(List.of("s3cret", "--requirepass"))));
        assertFalse(PidRecord.hashArgs(List.of("ab", "c")).equals(PidRecord.hashArgs(List.of("a", "bc"))));
    }
}
