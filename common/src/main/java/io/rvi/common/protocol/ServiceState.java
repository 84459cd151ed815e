package io.rvi.common.protocol;

/**
 * What the agent sees of one supervised service.
 *
 * @param name      the service's name in the agent config (redis, sentinel, ...)
 * @param kind      redis, sentinel, vault
 * @param mode      spawn, systemd or none (observed only)
 * @param process   starting, running, backoff, crash_loop, stopped, foreign, failed, unknown
 * @param health    healthy, unhealthy, unknown
 * @param pid       main PID, or 0
 * @param role      what the service says it is (master, slave, sentinel), or null
 * @param address   host:port it answers on
 * @param restarts  restarts done by the agent since it started
 * @param detail    the last reason for the state, in words
 * @param since     epoch millis when {@code process} last changed
 */
public record ServiceState(
        String name,
        String kind,
        String mode,
        String process,
        String health,
        long pid,
        String role,
        String address,
        int restarts,
        String detail,
        long since) {}
