package io.rvi.coordinator.fleet;

import io.rvi.common.Clock;
import io.rvi.common.protocol.Heartbeat;
import io.rvi.coordinator.store.AgentRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet in memory: agent id to its last heartbeat (soft state, rebuilt from heartbeats; at
 * startup seeded from the store with every agent stale until it heartbeats again). Safe to use from
 * any thread. Logs one line per change: registered, restarted, back, went stale.
 */
public final class Fleet {
    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

    private final Clock clock;
    private final Staleness staleness;
    private final Map<String, AgentStatus> agents = new ConcurrentHashMap<>();
    /** Agents last seen stale by {@link #sweep()} or restored stale; used to log transitions once. */
    private final Set<String> knownStale = ConcurrentHashMap.newKeySet();

    public Fleet(Clock clock, Staleness staleness) {
        this.clock = clock;
        this.staleness = staleness;
    }

    /** Seeds the fleet from the store; every agent is stale until it heartbeats. */
    public void restore(List<AgentRow> rows) {
        for (AgentRow r : rows) {
            agents.put(r.agentId(), AgentStatus.restoredFrom(r));
            knownStale.add(r.agentId());
        }
        if (!rows.isEmpty()) {
            LOG.info("fleet: {} agents known from the store, all stale until they heartbeat", rows.size());
        }
    }

    /** The status {@code hb} leads to, received now (not yet applied: see {@link #apply}). */
    public AgentStatus next(Heartbeat hb) {
        return AgentStatus.fromHeartbeat(hb, agents.get(hb.agentId()), clock.millis());
    }

    /** Records a heartbeat's status (after it was stored). */
    public void apply(AgentStatus s) {
        AgentStatus prev = agents.put(s.agentId(), s);
        boolean wasStale = knownStale.remove(s.agentId());
        if (prev == null) {
            LOG.info("fleet: agent {} registered (cluster {}, host {}, version {})", s.agentId(), s.cluster(), s.host(), s.version());
        } else if (!Objects.equals(prev.incarnation(), s.incarnation())) {
            LOG.info("fleet: agent {} has a new incarnation {} (state directory new or wiped; was {})", s.agentId(),
                    s.incarnation(), prev.incarnation());
        } else if (wasStale) {
            LOG.info("fleet: agent {} is heartbeating again", s.agentId());
        }
    }

    public AgentStatus get(String agentId) {
        return agents.get(agentId);
    }

    public boolean isStale(AgentStatus a) {
        return staleness.isStale(a, clock.millis());
    }

    /** Every agent, by id. */
    public List<AgentStatus> all() {
        List<AgentStatus> out = new ArrayList<>(agents.values());
        out.sort(Comparator.comparing(AgentStatus::agentId));
        return out;
    }

    public long count(boolean stale) {
        long now = clock.millis();
        return agents.values().stream().filter(a -> staleness.isStale(a, now) == stale).count();
    }

    /** Finds agents that went stale since the last call, logs each once, and returns their ids. */
    public List<String> sweep() {
        long now = clock.millis();
        List<String> newly = new ArrayList<>();
        for (AgentStatus a : agents.values()) {
            if (staleness.isStale(a, now) && knownStale.add(a.agentId())) {
                newly.add(a.agentId());
                LOG.warn("fleet: agent {} is stale: no heartbeat for {} ms ({} intervals of {} ms allowed)", a.agentId(),
                        now - a.lastSeen(), staleness.staleAfterHeartbeats(), a.intervalMillis());
            }
        }
        return newly;
    }
}
