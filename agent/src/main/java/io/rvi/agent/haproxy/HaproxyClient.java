package io.rvi.agent.haproxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.agent.haproxy.HaproxyCommands.AdminState;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed runtime API commands, one connection each. Counts every command in
 * {@code rvi_haproxy_commands_total{outcome=success|refused|unreachable|timeout}}. Fails with
 * {@link HaproxyRefused} (HAProxy's exact reply) or {@link HaproxyUnreachable}. No retries here: callers
 * run these inside an {@code ActionRunner} action.
 */
public final class HaproxyClient {
    private static final Logger LOG = LoggerFactory.getLogger(HaproxyClient.class);

    private final HaproxyRuntimeApi api;
    private final MeterRegistry registry;

    public HaproxyClient(HaproxyRuntimeApi api, MeterRegistry registry) {
        this.api = api;
        this.registry = registry;
    }

    public Future<Void> setState(String backend, String server, AdminState state) {
        String cmd = HaproxyCommands.setState(backend, server, state);
        return run(cmd, reply -> {
            HaproxyReplies.expectEmpty(cmd, reply);
            return null;
        });
    }

    /** Lasts only until the next health check disagrees. */
    public Future<Void> setHealth(String backend, String server, boolean up) {
        String cmd = HaproxyCommands.setHealth(backend, server, up);
        return run(cmd, reply -> {
            HaproxyReplies.expectEmpty(cmd, reply);
            return null;
        });
    }

    public Future<Void> shutdownSessions(String backend, String server) {
        String cmd = HaproxyCommands.shutdownSessions(backend, server);
        return run(cmd, reply -> {
            HaproxyReplies.expectEmpty(cmd, reply);
            return null;
        });
    }

    public Future<List<HaproxyServer>> showServersState(String backend) {
        String cmd = HaproxyCommands.showServersState(backend);
        return run(cmd, reply -> HaproxyReplies.serversState(cmd, reply));
    }

    private <T> Future<T> run(String cmd, Function<String, T> interpret) {
        return api.call(cmd).map(interpret).andThen(ar -> {
            String outcome;
            if (ar.succeeded()) {
                outcome = "success";
                LOG.debug("haproxy: '{}' ok", cmd);
            } else if (ar.cause() instanceof HaproxyRefused) {
                outcome = "refused";
            } else if (ar.cause() instanceof HaproxyUnreachable u && u.timeout()) {
                outcome = "timeout";
            } else {
                outcome = "unreachable";
            }
            Counter.builder("rvi.haproxy.commands").description("HAProxy runtime API commands sent, by outcome")
                    .tag("outcome", outcome).register(registry).increment();
        });
    }
}
