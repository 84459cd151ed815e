package io.rvi.agent.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.common.config.HostPort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The majority of ALL configured Sentinels, whatever answered. */
class QuorumDecisionTest {
    private static final HostPort S1 = new HostPort("10.0.0.1", 26379);
    private static final HostPort S2 = new HostPort("10.0.0.2", 26379);
    private static final HostPort S3 = new HostPort("10.0.0.3", 26379);
    private static final HostPort S4 = new HostPort("10.0.0.4", 26379);
    private static final HostPort A = new HostPort("10.0.0.1", 6379);
    private static final HostPort B = new HostPort("10.0.0.2", 6379);
    private static final HostPort C = new HostPort("10.0.0.3", 6379);
    private static final List<HostPort> THREE = List.of(S1, S2, S3);

    private static Map<HostPort, SentinelAnswer> answers(Object... pairs) {
        Map<HostPort, SentinelAnswer> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object a = pairs[i + 1];
            m.put((HostPort) pairs[i], a instanceof HostPort hp ? SentinelAnswer.master(hp) : (SentinelAnswer) a);
        }
        return m;
    }

    private static QuorumView decide(List<HostPort> sentinels, Map<HostPort, SentinelAnswer> answers) {
        return QuorumDecision.decide("mymaster", sentinels, answers, 1234);
    }

    private static final SentinelAnswer DOWN = SentinelAnswer.failed(SentinelAnswer.Kind.UNREACHABLE, "Connection refused");
    private static final SentinelAnswer SLOW = SentinelAnswer.failed(SentinelAnswer.Kind.TIMEOUT, "no answer within 500 ms");

    @Test
    void allAgree() {
        QuorumView v = decide(THREE, answers(S1, A, S2, A, S3, A));
        assertTrue(v.hasQuorum());
        assertEquals(A, v.master());
        assertEquals(3, v.votes());
        assertEquals(2, v.needed());
        assertEquals(3, v.sentinels());
        assertEquals(1234, v.checkedAt());
        assertEquals("mymaster", v.masterName());
        assertEquals(List.of(S1, S2, S3), List.copyOf(v.answers().keySet()), "configured order");
    }

    @Test
    void twoOfThreeIsAMajorityEvenWithOneUnreachable() {
        QuorumView v = decide(THREE, answers(S1, B, S2, DOWN, S3, B));
        assertEquals(B, v.master());
        assertEquals(2, v.votes());
        assertEquals("unreachable: Connection refused", v.answers().get(S2).toString());
        assertEquals("10.0.0.2:6379", v.toJson().getJsonObject("answers").getString("10.0.0.3:26379"));
    }

    @Test
    void twoOfThreeAgreeOneDisagrees() {
        QuorumView v = decide(THREE, answers(S1, A, S2, B, S3, B));
        assertEquals(B, v.master());
        assertEquals(2, v.votes());
    }

    @Test
    void splitAnswersHaveNoQuorum() {
        QuorumView v = decide(THREE, answers(S1, A, S2, B, S3, C));
        assertFalse(v.hasQuorum());
        assertNull(v.master());
        assertEquals(1, v.votes());
        assertFalse(v.toJson().getBoolean("quorum"));
    }

    @Test
    void oneAnswerOfThreeIsNoQuorumEvenIfItIsTheOnlyOne() {
        assertFalse(decide(THREE, answers(S1, A, S2, DOWN, S3, SLOW)).hasQuorum());
        assertFalse(decide(THREE, answers(S1, A)).hasQuorum(), "missing answers count as unreachable");
        assertEquals("unreachable: not asked", decide(THREE, answers(S1, A)).answers().get(S3).toString());
    }

    @Test
    void majorityIsOfAllConfiguredNotOfThoseWhoAnswered() {
        List<HostPort> four = List.of(S1, S2, S3, S4);
        QuorumView two = decide(four, answers(S1, A, S2, A, S3, DOWN, S4, DOWN));
        assertFalse(two.hasQuorum(), "2 of 4: no majority");
        assertEquals(3, two.needed());
        assertTrue(decide(four, answers(S1, A, S2, A, S3, A, S4, DOWN)).hasQuorum());
        QuorumView tie = decide(four, answers(S1, A, S2, A, S3, B, S4, B));
        assertFalse(tie.hasQuorum());
    }

    @Test
    void unknownMasterAndErrorsDoNotVote() {
        QuorumView v = decide(THREE, answers(S1, A, S2, SentinelAnswer.unknownMaster(),
                S3, SentinelAnswer.failed(SentinelAnswer.Kind.ERROR, "NOAUTH Authentication required.")));
        assertFalse(v.hasQuorum());
        assertEquals(1, v.votes());
        assertEquals("unknown_master: unknown master name", v.answers().get(S2).toString());
    }

    @Test
    void answersOfUnconfiguredSentinelsAndDuplicatesAreIgnored() {
        QuorumView v = decide(List.of(S1, S2, S3, S1), answers(S1, A, S4, A, S2, DOWN, S3, DOWN));
        assertFalse(v.hasQuorum());
        assertEquals(3, v.sentinels());
        assertFalse(v.answers().containsKey(S4));
    }

    @Test
    void noSentinelsNoQuorum() {
        QuorumView v = decide(List.of(), Map.of());
        assertFalse(v.hasQuorum());
        assertEquals(0, v.sentinels());
        assertEquals(1, v.needed());
        QuorumView none = QuorumView.notChecked("mymaster", THREE);
        assertFalse(none.hasQuorum());
        assertEquals(0, none.checkedAt());
    }

    @Test
    void singleSentinelIsItsOwnMajority() {
        assertEquals(A, decide(List.of(S1), answers(S1, A)).master());
    }
}
