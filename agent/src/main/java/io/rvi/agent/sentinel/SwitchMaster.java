package io.rvi.agent.sentinel;

import io.rvi.common.config.HostPort;
import io.vertx.core.json.JsonObject;

/**
 * A master switch, as announced by Sentinel's {@code +switch-master}: published once per failover
 * on {@link #ADDRESS} (duplicates from several Sentinels folded into one, by failover id).
 *
 * @param failoverId  the folded failover record's id
 * @param receivedAt  epoch millis when the first Sentinel's announcement arrived
 * @param source      the Sentinel whose announcement arrived first
 */
public record SwitchMaster(String failoverId, String masterName, HostPort from, HostPort to, long receivedAt, HostPort source) {
    /** Event bus address of switches (JSON bodies, see {@link #toJson()}). */
    public static final String ADDRESS = "rvi.sentinel.switch-master";

    public JsonObject toJson() {
        return new JsonObject().put("failover_id", failoverId).put("master_name", masterName).put("from", from.toString())
                .put("to", to.toString()).put("received_at", receivedAt).put("source", source == null ? null : source.toString());
    }

    public static SwitchMaster fromJson(JsonObject j) {
        String src = j.getString("source");
        return new SwitchMaster(j.getString("failover_id"), j.getString("master_name"), HostPort.parseOrNull(j.getString("from")),
                HostPort.parseOrNull(j.getString("to")), j.getLong("received_at"), src == null ? null : HostPort.parseOrNull(src));
    }
}
