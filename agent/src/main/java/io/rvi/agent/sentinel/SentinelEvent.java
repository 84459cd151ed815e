package io.rvi.agent.sentinel;

import io.rvi.common.config.HostPort;
import io.vertx.core.json.JsonObject;

/**
 * One message a Sentinel published, parsed by {@link SentinelEventParser}. Fields that the event's form
 * does not carry are null.
 *
 * <ul>
 *   <li>instance events ({@code +sdown slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379}):
 *       {@code instanceType} master/slave/sentinel, {@code instanceName} (the master name, {@code ip:port} of a
 *       replica, the run id of a Sentinel), {@code instanceAddress}, {@code masterName}, {@code masterAddress}
 *       (for a master: its own), {@code detail} (what follows: {@code #quorum 2/2}, {@code new reported role is
 *       master}...);</li>
 *   <li>{@code +switch-master}: {@code instanceType} master, {@code masterName}, {@code masterAddress} and
 *       {@code instanceAddress} the old master, {@code newMasterAddress} the new one;</li>
 *   <li>{@code +new-epoch}: {@code epoch}; {@code +vote-for-leader}: {@code instanceType} sentinel,
 *       {@code instanceName} the run id voted for, {@code epoch};</li>
 *   <li>{@code +tilt}/{@code -tilt} and unknown forms: {@code detail} = the payload.</li>
 * </ul>
 *
 * @param source     the Sentinel whose subscription delivered it
 * @param receivedAt epoch millis when it arrived
 * @param channel    the channel as published ({@code -failover-abort-no-good-slave}, ...)
 * @param payload    the raw payload
 */
public record SentinelEvent(HostPort source, long receivedAt, String channel, SentinelEventType type, String instanceType,
                            String instanceName, HostPort instanceAddress, String masterName, HostPort masterAddress,
                            HostPort newMasterAddress, Long epoch, String detail, String payload) {
    /** Event bus address where every parsed event is published (JSON, see {@link #toJson()}). */
    public static final String ADDRESS = "rvi.sentinel.event";

    /** Whether the event is about the master itself (not a replica or a Sentinel of it). */
    public boolean aboutMaster() {
        return "master".equals(instanceType);
    }

    /** For {@code -failover-abort-<reason>}: the reason; otherwise null. */
    public String abortReason() {
        return type == SentinelEventType.FAILOVER_ABORT ? channel.substring(type.channel().length()) : null;
    }

    public JsonObject toJson() {
        JsonObject j = new JsonObject().put("source", str(source)).put("received_at", receivedAt).put("channel", channel)
                .put("type", type.label());
        putIf(j, "instance_type", instanceType);
        putIf(j, "instance_name", instanceName);
        putIf(j, "instance_address", str(instanceAddress));
        putIf(j, "master_name", masterName);
        putIf(j, "master_address", str(masterAddress));
        putIf(j, "new_master_address", str(newMasterAddress));
        if (epoch != null) {
            j.put("epoch", epoch);
        }
        putIf(j, "detail", detail);
        return j.put("payload", payload);
    }

    private static void putIf(JsonObject j, String key, String value) {
        if (value != null) {
            j.put(key, value);
        }
    }

    private static String str(HostPort hp) {
        return hp == null ? null : hp.toString();
    }
}
