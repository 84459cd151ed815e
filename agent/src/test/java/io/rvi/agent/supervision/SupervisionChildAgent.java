package io.rvi.agent.supervision;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.EventSink;
import io.rvi.agent.core.StateHolder;
import io.rvi.common.Clock;
import io.rvi.common.protocol.ServiceState;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A minimal "agent" run in a separate JVM by {@link SupervisionJvmKillIT}: supervises one redis-server,
 * prints {@code READY <pid>} once it runs, then waits to be killed. Args: root dir, host, port.
 */
public final class SupervisionChildAgent {
    private SupervisionChildAgent() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        AgentConfig.Service redis = Fixtures.redis("redis", args[1], Integer.parseInt(args[2]), root.resolve("redis"), "--save", "");
        Vertx vertx = Vertx.vertx();
        StateHolder state = new StateHolder("child", "test", args[1], "test", Clock.SYSTEM);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Supervision sup = new Supervision(vertx, Fixtures.agent(root), Fixtures.policy(5), state, EventSink.NONE,
                new ActionRunner(vertx, registry, EventSink.NONE, Clock.SYSTEM, new SplittableRandom()), registry,
                vertx.createSharedWorkerExecutor("rvi-process"), Clock.SYSTEM);
        sup.start(Map.of("redis", redis)).await(20, TimeUnit.SECONDS);
        for (int i = 0; i < 200; i++) {
            ServiceState s = state.service("redis");
            if ("running".equals(s.process()) && "healthy".equals(s.health())) {
                System.out.println("READY " + s.pid());
                System.out.flush();
                break;
            }
            Thread.sleep(50);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
