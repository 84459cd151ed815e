package io.rvi.agent.hooks;

import io.rvi.common.config.HostPort;
import java.util.Map;

/**
 * Something hooks are fired for, once per {@code id}.
 *
 * @param kind   {@link #FAILOVER} or {@link #ROLE_CHANGE}
 * @param id     dedupe key: the failover id, or the role change's own id
 * @param role   the exec hook's {@code <role>} argument
 * @param state  the exec hook's {@code <state>} argument
 * @param from   the old master (may be null)
 * @param to     the new master (may be null)
 * @param record the JSON body of a webhook (the failover record)
 */
public record HookEvent(String kind, String id, String masterName, String role, String state, HostPort from, HostPort to,
                        Map<String, Object> record) {
    public static final String FAILOVER = "failover";
    public static final String ROLE_CHANGE = "role_change";
}
