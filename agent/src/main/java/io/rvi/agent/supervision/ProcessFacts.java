package io.rvi.agent.supervision;

/**
 * What the OS says about a PID now.
 *
 * @param pid        the process id
 * @param alive      whether a process with this id exists
 * @param startedAt  its start time, epoch millis, or -1 when it cannot be read
 * @param executable its executable with links resolved, or null when it cannot be read
 */
public record ProcessFacts(long pid, boolean alive, long startedAt, String executable) {
    public static ProcessFacts gone(long pid) {
        return new ProcessFacts(pid, false, -1, null);
    }
}
