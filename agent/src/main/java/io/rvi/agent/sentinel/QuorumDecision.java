package io.rvi.agent.sentinel;

import io.rvi.common.config.HostPort;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which master a majority of the configured Sentinels names. The majority is of ALL configured Sentinels
 * (3 configured: 2 must agree, even when only 2 answered), so a minority partition never has a quorum.
 * Plain and stateless.
 */
public final class QuorumDecision {
    private QuorumDecision() {}

    /**
     * @param sentinels every configured Sentinel (duplicates ignored)
     * @param answers   what each said; a configured Sentinel missing here counts as unreachable, an answer
     *                  from one not configured is ignored
     */
    public static QuorumView decide(String masterName, List<HostPort> sentinels, Map<HostPort, SentinelAnswer> answers,
                                    long atMillis) {
        List<HostPort> configured = sentinels.stream().distinct().toList();
        Map<HostPort, SentinelAnswer> kept = new LinkedHashMap<>();
        Map<HostPort, Integer> votes = new HashMap<>();
        for (HostPort s : configured) {
            SentinelAnswer a = answers.get(s);
            if (a == null) {
                a = SentinelAnswer.failed(SentinelAnswer.Kind.UNREACHABLE, "not asked");
            }
            kept.put(s, a);
            if (a.kind() == SentinelAnswer.Kind.MASTER) {
                votes.merge(a.master(), 1, Integer::sum);
            }
        }
        int needed = configured.size() / 2 + 1;
        HostPort best = null;
        int bestVotes = 0;
        for (HostPort s : configured) { // configured order: ties resolve the same way every time
            SentinelAnswer a = kept.get(s);
            if (a.kind() == SentinelAnswer.Kind.MASTER && votes.get(a.master()) > bestVotes) {
                best = a.master();
                bestVotes = votes.get(best);
            }
        }
        boolean quorum = !configured.isEmpty() && bestVotes >= needed;
        return new QuorumView(masterName, quorum ? best : null, bestVotes, needed, configured.size(),
                Collections.unmodifiableMap(kept), atMillis);
    }
}
