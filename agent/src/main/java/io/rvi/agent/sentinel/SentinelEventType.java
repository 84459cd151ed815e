package io.rvi.agent.sentinel;

import java.util.HashMap;
import java.util.Map;

/**
 * What a Sentinel publishes, by channel name, and the payload form each one has (checked against
 * redis-sentinel 7.0: see {@code src/test/resources/sentinel/}). Channels not listed are {@link #OTHER}.
 */
public enum SentinelEventType {
    SWITCH_MASTER("+switch-master", Form.SWITCH),
    SDOWN("+sdown", Form.INSTANCE),
    SDOWN_CLEARED("-sdown", Form.INSTANCE),
    ODOWN("+odown", Form.INSTANCE),
    ODOWN_CLEARED("-odown", Form.INSTANCE),
    TRY_FAILOVER("+try-failover", Form.INSTANCE),
    ELECTED_LEADER("+elected-leader", Form.INSTANCE),
    FAILOVER_STATE_SELECT_SLAVE("+failover-state-select-slave", Form.INSTANCE),
    SELECTED_SLAVE("+selected-slave", Form.INSTANCE),
    FAILOVER_STATE_SEND_SLAVEOF_NOONE("+failover-state-send-slaveof-noone", Form.INSTANCE),
    FAILOVER_STATE_WAIT_PROMOTION("+failover-state-wait-promotion", Form.INSTANCE),
    PROMOTED_SLAVE("+promoted-slave", Form.INSTANCE),
    FAILOVER_STATE_RECONF_SLAVES("+failover-state-reconf-slaves", Form.INSTANCE),
    SLAVE_RECONF_SENT("+slave-reconf-sent", Form.INSTANCE),
    SLAVE_RECONF_SENT_TIMEOUT("-slave-reconf-sent-timeout", Form.INSTANCE),
    SLAVE_RECONF_INPROG("+slave-reconf-inprog", Form.INSTANCE),
    SLAVE_RECONF_DONE("+slave-reconf-done", Form.INSTANCE),
    FAILOVER_END("+failover-end", Form.INSTANCE),
    FAILOVER_END_FOR_TIMEOUT("+failover-end-for-timeout", Form.INSTANCE),
    /** {@code -failover-abort-<reason>}: not-elected, no-good-slave, slave-timeout... */
    FAILOVER_ABORT("-failover-abort-", Form.INSTANCE, true),
    CONVERT_TO_SLAVE("+convert-to-slave", Form.INSTANCE),
    FIX_SLAVE_CONFIG("+fix-slave-config", Form.INSTANCE),
    SLAVE("+slave", Form.INSTANCE),
    SENTINEL("+sentinel", Form.INSTANCE),
    DUP_SENTINEL("-dup-sentinel", Form.INSTANCE),
    REBOOT("+reboot", Form.INSTANCE),
    /** The reported role is the one Sentinel expects. */
    ROLE_CHANGE("+role-change", Form.INSTANCE),
    /** The reported role is not the one Sentinel expects (e.g. a restarted old master says master). */
    ROLE_CHANGE_UNEXPECTED("-role-change", Form.INSTANCE),
    CONFIG_UPDATE_FROM("+config-update-from", Form.INSTANCE),
    RESET_MASTER("+reset-master", Form.INSTANCE),
    MONITOR("+monitor", Form.INSTANCE),
    UNMONITOR("-monitor", Form.INSTANCE),
    SET("+set", Form.INSTANCE),
    TILT("+tilt", Form.TEXT),
    TILT_CLEARED("-tilt", Form.TEXT),
    NEW_EPOCH("+new-epoch", Form.EPOCH),
    VOTE_FOR_LEADER("+vote-for-leader", Form.VOTE),
    /** {@code +cluster-...}: form not fixed; parsed as an instance event when it looks like one. */
    CLUSTER("+cluster-", Form.LOOSE, true),
    /** Any other channel: kept with its raw payload, parsed as an instance event when it looks like one. */
    OTHER(null, Form.LOOSE);

    /** How the payload is written. */
    public enum Form {
        /** {@code <instance-type> <name> <ip> <port> [@ <master-name> <master-ip> <master-port>] [detail...]} */
        INSTANCE,
        /** {@code <master-name> <old-ip> <old-port> <new-ip> <new-port>} */
        SWITCH,
        /** {@code <epoch>} */
        EPOCH,
        /** {@code <leader-run-id> <epoch>} */
        VOTE,
        /** free text ({@code #tilt mode entered}) */
        TEXT,
        /** an instance form if it parses as one, else free text; never malformed */
        LOOSE
    }

    private static final Map<String, SentinelEventType> BY_CHANNEL = new HashMap<>();

    static {
        for (SentinelEventType t : values()) {
            if (t.channel != null && !t.prefix) {
                BY_CHANNEL.put(t.channel, t);
            }
        }
    }

    private final String channel;
    private final Form form;
    private final boolean prefix;

    SentinelEventType(String channel, Form form) {
        this(channel, form, false);
    }

    SentinelEventType(String channel, Form form, boolean prefix) {
        this.channel = channel;
        this.form = form;
        this.prefix = prefix;
    }

    /** The channel (or channel prefix, ending with '-') this type is published on; null for {@link #OTHER}. */
    public String channel() {
        return channel;
    }

    public Form form() {
        return form;
    }

    /**
     * A bounded label for metrics and logs: the channel name, {@code -failover-abort-*}, {@code +cluster-*}
     * or {@code other} (never text taken from the wire, so the label set stays small).
     */
    public String label() {
        return this == OTHER ? "other" : prefix ? channel + "*" : channel;
    }

    /** The type of a channel name. */
    public static SentinelEventType of(String channel) {
        if (channel == null) {
            return OTHER;
        }
        SentinelEventType t = BY_CHANNEL.get(channel);
        if (t != null) {
            return t;
        }
        if (channel.startsWith(FAILOVER_ABORT.channel) && channel.length() > FAILOVER_ABORT.channel.length()) {
            return FAILOVER_ABORT;
        }
        if (channel.startsWith(CLUSTER.channel) && channel.length() > CLUSTER.channel.length()) {
            return CLUSTER;
        }
        return OTHER;
    }
}
