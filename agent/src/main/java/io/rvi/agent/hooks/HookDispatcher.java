package io.rvi.agent.hooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.ActionSpec;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the configured hooks of an event exactly once per event id (duplicates are dropped), each
 * hook as its own {@code hook} action of the {@link ActionRunner} (one attempt, never retried: a hook is
 * not known to be idempotent), in parallel, never waiting for one another. A hook that fails or hangs
 * (killed at its timeout) is logged and counted in {@code rvi_hooks_total{event,kind,outcome}}; it never
 * stops anything else.
 */
public final class HookDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(HookDispatcher.class);

    private final WorkerExecutor worker;
    private final WebClient web;
    private final ActionRunner actions;
    private final MeterRegistry registry;
    private final Supplier<AgentConfig.Hooks> hooks;
    private final OnceFilter once = new OnceFilter(1024);

    /**
     * @param worker executor for exec hooks (one thread is held per running hook, until it ends or is killed)
     * @param hooks  the current hooks config (read at each event, so a reload applies)
     */
    public HookDispatcher(WorkerExecutor worker, WebClient web, ActionRunner actions, MeterRegistry registry,
                          Supplier<AgentConfig.Hooks> hooks) {
        this.worker = worker;
        this.web = web;
        this.actions = actions;
        this.registry = registry;
        this.hooks = hooks;
    }

    /** Fires every hook configured for {@code e.kind()}, unless this id was fired already. Returns when all ended. */
    public Future<Void> fire(HookEvent e) {
        AgentConfig.Hooks h = hooks.get();
        List<AgentConfig.Hook> list = h == null ? List.of()
                : HookEvent.FAILOVER.equals(e.kind()) ? h.onFailover() : h.onRoleChange();
        if (!once.first(e.kind() + "/" + e.id())) {
            LOG.debug("hooks: {} {} already fired; duplicate ignored", e.kind(), e.id());
            return Future.succeededFuture();
        }
        if (list.isEmpty()) {
            return Future.succeededFuture();
        }
        LOG.info("hooks: firing {} hook(s) for {} {}", list.size(), e.kind(), e.id());
        Future<?>[] all = new Future<?>[list.size()];
        for (int i = 0; i < list.size(); i++) {
            all[i] = one(e, i, list.get(i)).otherwiseEmpty();
        }
        return Future.join(List.of(all)).mapEmpty();
    }

    private Future<Integer> one(HookEvent e, int index, AgentConfig.Hook hook) {
        boolean exec = !hook.exec().isEmpty();
        String kind = exec ? "exec" : "webhook";
        String target = "hook:" + e.kind() + "[" + index + "]:" + e.id();
        ActionSpec spec = ActionSpec.once("hook", hook.timeout().plus(Duration.ofSeconds(2)));
        return actions.<Integer>run(spec, target, () -> exec
                ? ExecHook.run(worker, HookArgs.argv(hook.exec(), e), HookArgs.env(e), hook.timeout())
                : WebHook.post(web, hook.webhook(), e.record(), hook.timeout())).andThen(ar -> {
                    String outcome = ar.succeeded() ? "success" : isTimeout(ar.cause()) ? "timeout" : "failure";
                    Counter.builder("rvi.hooks").description("User hooks run, by event, kind and outcome")
                            .tag("event", e.kind()).tag("kind", kind).tag("outcome", outcome).register(registry).increment();
                    if (ar.failed()) {
                        LOG.warn("hooks: {} hook #{} ({}) for {} {}: {}", e.kind(), index, describe(hook), e.kind(), e.id(),
                                ar.cause().getMessage());
                    }
                });
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || String.valueOf(c.getMessage()).contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(AgentConfig.Hook hook) {
        return hook.exec().isEmpty() ? "webhook " + WebHook.host(hook.webhook()) : "exec " + hook.exec().get(0);
    }
}
