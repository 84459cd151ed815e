package io.rvi.e2e;

import static io.rvi.e2e.EstateFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.e2e.drill.FailoverDrill;
import io.rvi.e2e.drill.SwitchWatch;
import io.rvi.e2e.drill.WriteLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three hosts (127.0.0.1/.2/.3) with Redis + Sentinel + agent each and HAProxy in front; a client
 * writes a unique counter every few ms through HAProxy with WAIT 1. Three times: kill -9 the master,
 * writes resume on the new master through HAProxy, the old master comes back as a replica. At the end
 * every acknowledged write is on the final master.
 */
class FailoverE2EIT {
    static Estate estate;

    @BeforeAll
    static void start() throws Exception {
        estate = EstateFixture.startWithHaproxy("failover", List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"));
        Estate.Host master = estate.host(0);
        await("HAProxy routes writes to host1 (its agent says it is the quorum's master)", Duration.ofSeconds(60), () ->
                estate.getFromAgent(0, "/redis/master").statusCode() == 200
                        && estate.getFromAgent(1, "/redis/master").statusCode() == 503
                        && FailoverDrill.isReplicaOf(estate.host(1).address + ":" + estate.host(1).redisPort, master.address + ":" + master.redisPort)
                        && FailoverDrill.isReplicaOf(estate.host(2).address + ":" + estate.host(2).redisPort, master.address + ":" + master.redisPort));
    }

    @AfterAll
    static void stop() {
        if (estate != null) {
            estate.close();
        }
    }

    @Test
    void threeFailoversUnderLoadLoseNoAcknowledgedWrite() throws Exception {
        String[] lb = estate.haproxyWriteAddress().split(":");
        List<String> sentinels = new ArrayList<>();
        estate.hosts().forEach(h -> sentinels.add(h.address + ":" + h.sentinelPort));
        try (SwitchWatch watch = new SwitchWatch(sentinels); WriteLoad load = new WriteLoad(lb[0], Integer.parseInt(lb[1]), 200, 3)) {
            FailoverDrill drill = new FailoverDrill(estate, load, watch, "mymaster");
            assertTrue(drill.awaitSentinelsKnowTheTopology(Duration.ofSeconds(60)), "every Sentinel knows both replicas and the other Sentinels");
            await("writes acknowledged through HAProxy", Duration.ofSeconds(30), () -> load.ackedCount() > 100);
            for (int i = 1; i <= 3; i++) {
                FailoverDrill.Outcome o = drill.failOnce(Duration.ofSeconds(30));
                System.out.printf("failover %d: %s -> %s, +switch-master -> first write %.1f ms, %d failed writes, old master replica: %s%n",
                        i, o.from(), o.to(), o.switchToWriteMs(), o.failedWrites(), o.oldMasterIsReplica());
                assertNotNull(o.to(), "failover " + i + ": Sentinel elected a new master");
                assertTrue(o.firstWriteAt() > 0, "failover " + i + ": writes resumed through HAProxy");
                assertTrue(o.oldMasterIsReplica(), "failover " + i + ": the old master " + o.from() + " is back as a replica of " + o.to());
                long acked = load.ackedCount();
                await("writes go on after failover " + i, Duration.ofSeconds(10), () -> load.ackedCount() > acked + 50);
            }
            load.close();
            String last = drill.quorumMaster();
            assertNotNull(last);
            String[] m = last.split(":");
            List<Long> missing = load.missingOn(m[0], Integer.parseInt(m[1]));
            System.out.printf("%d writes acknowledged, %d failed, %d acknowledged writes missing on %s%n", load.ackedCount(),
                    load.failedCount(), missing.size(), last);
            assertEquals(List.of(), missing.subList(0, Math.min(20, missing.size())), "acknowledged writes lost (first 20 shown)");
        }
    }
}
