package io.rvi.agent.core;

import io.rvi.common.Clock;
import io.rvi.common.protocol.ObservedState;
import io.rvi.common.protocol.ServiceState;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Holds the agent's one immutable {@link ObservedState}. Components replace their own service's
 * entry; readers (HTTP /status, the reporter) get a consistent snapshot.
 */
public final class StateHolder {
    private final AtomicReference<ObservedState> state;
    private final Clock clock;

    public StateHolder(String agentId, String cluster, String host, String version, Clock clock) {
        this.clock = clock;
        long now = clock.millis();
        this.state = new AtomicReference<>(new ObservedState(agentId, cluster, host, version, now, now, false, List.of()));
    }

    public ObservedState current() {
        return state.get();
    }

    public ServiceState service(String name) {
        return state.get().service(name);
    }

    /** Replaces (or adds) one service's entry. */
    public void put(ServiceState s) {
        update(st -> st.withService(s));
    }

    /** Drops a service that is no longer configured. */
    public void remove(String name) {
        update(st -> new ObservedState(st.agentId(), st.cluster(), st.host(), st.version(), st.startedAt(), st.observedAt(),
                st.ready(), st.services().stream().filter(s -> !s.name().equals(name)).toList()));
    }

    public void markReady() {
        update(st -> new ObservedState(st.agentId(), st.cluster(), st.host(), st.version(), st.startedAt(), st.observedAt(),
                true, st.services()));
    }

    private void update(UnaryOperator<ObservedState> f) {
        state.updateAndGet(st -> {
            ObservedState n = f.apply(st);
            return new ObservedState(n.agentId(), n.cluster(), n.host(), n.version(), n.startedAt(), clock.millis(), n.ready(), n.services());
        });
    }
}
