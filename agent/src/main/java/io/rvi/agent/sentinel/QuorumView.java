package io.rvi.agent.sentinel;

import io.rvi.common.config.HostPort;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The Sentinels' majority view of who the master is, from one round of {@code SENTINEL
 * GET-MASTER-ADDR-BY-NAME} to every configured Sentinel ({@link QuorumDecision}).
 *
 * @param master    the address named by a majority of ALL configured Sentinels; null: no quorum
 * @param votes     how many Sentinels named {@code master} (or, without quorum, the most-named address)
 * @param needed    the majority: configured / 2 + 1
 * @param sentinels how many Sentinels are configured
 * @param answers   each configured Sentinel's answer, in configured order
 * @param checkedAt epoch millis when the round ended; 0: not asked yet
 */
public record QuorumView(String masterName, HostPort master, int votes, int needed, int sentinels,
                         Map<HostPort, SentinelAnswer> answers, long checkedAt) {
    /** Event bus address where a view is published when its master (or quorum) changes (JSON, {@link #toJson()}). */
    public static final String ADDRESS = "rvi.sentinel.quorum";

    /** Nothing asked yet. */
    public static QuorumView notChecked(String masterName, List<HostPort> sentinels) {
        return new QuorumView(masterName, null, 0, sentinels.size() / 2 + 1, sentinels.size(), Map.of(), 0);
    }

    public boolean hasQuorum() {
        return master != null;
    }

    public JsonObject toJson() {
        JsonObject a = new JsonObject();
        answers.forEach((s, ans) -> a.put(s.toString(), ans.toString()));
        return new JsonObject().put("master_name", masterName).put("quorum", hasQuorum())
                .put("master", master == null ? null : master.toString()).put("votes", votes).put("needed", needed)
                .put("sentinels", sentinels).put("answers", a).put("checked_at", checkedAt);
    }
}
