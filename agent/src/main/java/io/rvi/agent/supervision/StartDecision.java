package io.rvi.agent.supervision;

/**
 * What to do when supervision of a spawn-mode service starts (agent start, new service, reset):
 * adopt a process this agent spawned before, replace it, leave a foreign one alone, or spawn.
 *
 * <ul>
 *   <li>The pidfile's process is still ours when its PID is alive, its start time matches (within
 *       {@link #START_TOLERANCE_MS}, which guards against PID reuse) and its executable matches.</li>
 *   <li>Ours and configured the same way: adopt, whether or not it answers yet (a Redis loading a big
 *       dataset is alive and must not be duplicated or killed).</li>
 *   <li>Ours but started with another binary, address or arguments (the configuration changed while the
 *       agent was down): replace it.</li>
 *   <li>Not ours (no pidfile, stale pidfile) and the port is in use: foreign, spawn nothing.</li>
 *   <li>Otherwise spawn.</li>
 * </ul>
 * Plain class, no I/O.
 */
public final class StartDecision {
    /** Start times are rebuilt from boot time plus ticks; the boot time moves when the clock is stepped. */
    public static final long START_TOLERANCE_MS = 2000;

    public enum Action { ADOPT, REPLACE, FOREIGN, SPAWN }

    /**
     * @param action        what to do
     * @param pid           the process concerned (ADOPT, REPLACE), else 0
     * @param stalePidFile  whether the pidfile should be deleted before going on
     * @param reason        why, in words
     */
    public record Outcome(Action action, long pid, boolean stalePidFile, String reason) {}

    /** How the service is configured now. */
    public record Expected(String binary, String executable, String address, String argsHash) {}

    private StartDecision() {}

    /**
     * @param recorded  the pidfile, or null
     * @param facts     what the OS says about {@code recorded.pid()}, or null when there is no pidfile
     * @param portInUse whether the service's address accepts connections
     */
    public static Outcome decide(PidRecord recorded, ProcessFacts facts, boolean portInUse, Expected expected) {
        if (recorded == null) {
            return portInUse
                    ? new Outcome(Action.FOREIGN, 0, false, "port " + expected.address() + " is in use and there is no pidfile")
                    : new Outcome(Action.SPAWN, 0, false, "no pidfile and nothing on " + expected.address());
        }
        String notOurs = notOurs(recorded, facts);
        if (notOurs != null) {
            return portInUse
                    ? new Outcome(Action.FOREIGN, 0, true, notOurs + ", and port " + expected.address() + " is in use")
                    : new Outcome(Action.SPAWN, 0, true, notOurs);
        }
        String changed = changed(recorded, expected);
        if (changed != null) {
            return new Outcome(Action.REPLACE, recorded.pid(), false,
                    "pid " + recorded.pid() + " was started with another " + changed);
        }
        return new Outcome(Action.ADOPT, recorded.pid(), false, portInUse
                ? "pid " + recorded.pid() + " from the pidfile is alive and " + expected.address() + " is in use"
                : "pid " + recorded.pid() + " from the pidfile is alive (not answering yet)");
    }

    private static String notOurs(PidRecord r, ProcessFacts f) {
        if (f == null || !f.alive()) {
            return "pid " + r.pid() + " from the pidfile is gone";
        }
        if (f.startedAt() < 0 || Math.abs(f.startedAt() - r.startedAt()) > START_TOLERANCE_MS) {
            return "pid " + r.pid() + " is another process (start time differs: PID reused)";
        }
        if (f.executable() == null || !f.executable().equals(r.executable())) {
            return "pid " + r.pid() + " is another process (runs " + f.executable() + ", not " + r.executable() + ")";
        }
        return null;
    }

    private static String changed(PidRecord r, Expected e) {
        if (!r.executable().equals(e.executable()) || !r.binary().equals(e.binary())) {
            return "binary (" + r.binary() + ", now " + e.binary() + ")";
        }
        if (!r.address().equals(e.address())) {
            return "address (" + r.address() + ", now " + e.address() + ")";
        }
        if (!r.argsHash().equals(e.argsHash())) {
            return "argument list";
        }
        return null;
    }
}
