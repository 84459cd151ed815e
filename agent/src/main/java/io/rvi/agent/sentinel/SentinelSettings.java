package io.rvi.agent.sentinel;

import java.time.Duration;

/**
 * Time limits of the Sentinel watcher (not in agent.yaml: the defaults suit a LAN; tests shorten them).
 *
 * @param connectTimeout    TCP connect, and then the PSUBSCRIBE confirmation, each within this
 * @param heartbeatInterval a PING on each subscription this often, to find a connection that died silently
 * @param heartbeatTimeout  no reply to that PING within this: the connection is dropped and made again
 * @param reconnectInitial  first wait before subscribing again (doubles per failure, with jitter)
 * @param reconnectMax      longest wait between attempts
 * @param queryTimeout      each Sentinel's time to answer {@code SENTINEL GET-MASTER-ADDR-BY-NAME}
 * @param tickInterval      how often open failover records are checked for their time limits
 */
public record SentinelSettings(Duration connectTimeout, Duration heartbeatInterval, Duration heartbeatTimeout,
                               Duration reconnectInitial, Duration reconnectMax, Duration queryTimeout, Duration tickInterval,
                               FailoverTracker.Settings tracker) {
    public static final SentinelSettings DEFAULTS = new SentinelSettings(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofMillis(250),
            FailoverTracker.Settings.DEFAULTS);
}
