package io.rvi.agent.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.config.HostPort;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Sentinels are watched, and which count in the majority. */
class SentinelWatcherTest {
    private static final HostPort S1 = new HostPort("10.0.0.1", 26379);
    private static final HostPort S2 = new HostPort("10.0.0.2", 26379);
    private static final HostPort LOOPBACK = new HostPort("127.0.0.1", 26379);

    private static AgentConfig.Failover failover(List<HostPort> sentinels) {
        return new AgentConfig.Failover("mymaster", sentinels, true, 1024, Duration.ofSeconds(1));
    }

    private static AgentConfig.Service local(HostPort address) {
        return new AgentConfig.Service("sentinel", AgentConfig.Kind.SENTINEL, address, null, AgentConfig.Mode.NONE, null, List.of(),
                null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), 3);
    }

    @Test
    void theLocalSentinelIsWatchedWhenNotListedButCountsOnlyWhenTheListIsEmpty() {
        assertEquals(List.of(S1, S2), SentinelWatcher.sentinelsOf(failover(List.of(S1, S2)), local(S1)));
        assertEquals(List.of(S1, S2, LOOPBACK), SentinelWatcher.sentinelsOf(failover(List.of(S1, S2)), local(LOOPBACK)));
        assertEquals(List.of(S1, S2), SentinelWatcher.quorumOf(failover(List.of(S1, S2)), local(LOOPBACK)));
        assertEquals(List.of(LOOPBACK), SentinelWatcher.sentinelsOf(failover(List.of()), local(LOOPBACK)));
        assertEquals(List.of(LOOPBACK), SentinelWatcher.quorumOf(failover(List.of()), local(LOOPBACK)));
        assertEquals(List.of(S1), SentinelWatcher.quorumOf(failover(List.of(S1, S1)), null));
        assertEquals(List.of(), SentinelWatcher.sentinelsOf(null, local(LOOPBACK)));
        assertEquals(List.of(), SentinelWatcher.quorumOf(null, local(LOOPBACK)));
    }
}
