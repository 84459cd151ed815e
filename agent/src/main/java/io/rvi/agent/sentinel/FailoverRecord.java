package io.rvi.agent.sentinel;

import io.rvi.common.config.HostPort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One real failover (or attempt) of a master, folded from what every Sentinel reported: a snapshot made by
 * {@link FailoverTracker}. Times are epoch millis of the FIRST report of each step, null when not seen.
 *
 * @param id                 {@code <master>-epoch-<n>} when the failover's epoch was seen, else
 *                           {@code <master>-at-<millis the record opened>}
 * @param outcome            null while open; {@code completed} (a +switch-master was seen), {@code aborted}
 *                           (only -failover-abort-*), {@code timeout} (attempt seen, then nothing)
 * @param durationMillis     first +odown or +try-failover to first +switch-master (monotonic), null when unknown
 * @param leader             the Sentinel that published +elected-leader
 * @param reporters          every Sentinel that reported a step of it
 * @param switchReporters    the Sentinels that announced +switch-master, first one first
 * @param routingSwitchedAt  when routing followed the switch ({@link FailoverTracker#routingSwitched})
 */
public record FailoverRecord(String id, String masterName, HostPort from, HostPort to, String outcome, Long epoch,
                             long openedAt, Long sdownAt, Long odownAt, Long tryFailoverAt, Long electedLeaderAt,
                             Long promotedSlaveAt, Long switchMasterAt, Long failoverEndAt, Long abortedAt,
                             List<String> abortReasons, HostPort leader, List<HostPort> reporters,
                             List<HostPort> switchReporters, Long durationMillis, Long routingSwitchedAt, Long closedAt) {
    public static final String COMPLETED = "completed";
    public static final String ABORTED = "aborted";
    public static final String TIMEOUT = "timeout";

    public boolean switched() {
        return switchMasterAt != null;
    }

    /** One line for the event's message and the log. */
    public String summary() {
        String reporters = reporters().size() + " Sentinel(s) reported it";
        if (switched()) {
            return "failover of " + masterName + ": " + from + " -> " + to
                    + (durationMillis == null ? "" : " in " + durationMillis + " ms (+odown/+try-failover to +switch-master)")
                    + "; " + reporters;
        }
        if (ABORTED.equals(outcome)) {
            return "failover of " + masterName + " (" + from + ") aborted (" + String.join(", ", abortReasons) + "), no switch; "
                    + reporters;
        }
        return "failover of " + masterName + " (" + from + ") started but no switch seen" + (to == null ? "" : " (promoting " + to + ")")
                + "; " + reporters;
    }

    /** The event data: every known field, addresses as {@code host:port}, nothing null. */
    public Map<String, Object> toEventData() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("failover_id", id);
        m.put("master_name", masterName);
        put(m, "from", from);
        put(m, "to", to);
        put(m, "outcome", outcome);
        put(m, "epoch", epoch);
        m.put("opened_at", openedAt);
        put(m, "sdown_at", sdownAt);
        put(m, "odown_at", odownAt);
        put(m, "try_failover_at", tryFailoverAt);
        put(m, "elected_leader_at", electedLeaderAt);
        put(m, "promoted_slave_at", promotedSlaveAt);
        put(m, "switch_master_at", switchMasterAt);
        put(m, "failover_end_at", failoverEndAt);
        put(m, "aborted_at", abortedAt);
        if (!abortReasons.isEmpty()) {
            m.put("abort_reasons", abortReasons);
        }
        put(m, "leader", leader);
        m.put("reporters", reporters.stream().map(HostPort::toString).toList());
        m.put("switch_reporters", switchReporters.stream().map(HostPort::toString).toList());
        put(m, "duration_ms", durationMillis);
        put(m, "routing_switched_at", routingSwitchedAt);
        put(m, "closed_at", closedAt);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value instanceof HostPort hp ? hp.toString() : value);
        }
    }
}
