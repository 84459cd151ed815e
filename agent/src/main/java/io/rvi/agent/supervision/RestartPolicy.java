package io.rvi.agent.supervision;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.Backoff;
import io.rvi.common.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * What to do after a supervised process exits (or fails to start): restart after a backoff, or give up
 * because it is crash-looping. At most {@code crashLoopMaxRestarts} restarts are made within any
 * {@code crashLoopWindow}; the exit after that is a crash loop. The backoff grows with the number of
 * exits inside the window, so a process that ran longer than the window starts again from the initial
 * delay. Plain class, no Vert.x; time from a {@link Clock}.
 */
public final class RestartPolicy {

    /** The verdict for one exit. */
    public sealed interface Decision permits Restart, CrashLoop {}

    /** Restart number {@code attempt} of at most {@code max} within {@code window}, after {@code delayMillis}. */
    public record Restart(int attempt, int max, Duration window, long delayMillis) implements Decision {
        /** e.g. {@code restart 3/5 in 2m, next try in 1.4s}. */
        public String describe() {
            return "restart " + attempt + "/" + max + " in " + Durations.words(window) + ", next try in "
                    + Durations.words(Duration.ofMillis(delayMillis));
        }
    }

    /** Too many exits: {@code exits} within {@code window} (more than {@code max} restarts). */
    public record CrashLoop(int exits, int max, Duration window) implements Decision {
        public String describe() {
            return exits + " exits within " + Durations.words(window) + " (at most " + max
                    + " restart(s) allowed); not restarting until reset or reconfigured";
        }
    }

    private final Clock clock;
    private final RandomGenerator random;
    private final ArrayDeque<Long> exits = new ArrayDeque<>();
    private AgentConfig.Supervision policy;
    private Backoff backoff;

    public RestartPolicy(AgentConfig.Supervision policy, Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
        update(policy);
    }

    /** Applies a new policy; the exits seen so far still count. */
    public void update(AgentConfig.Supervision p) {
        this.policy = p;
        this.backoff = new Backoff(p.restartBackoffInitial(), p.restartBackoffMax(), random);
    }

    /** Records an exit now and decides. */
    public Decision onExit() {
        long now = clock.nanos();
        exits.addLast(now);
        prune(now);
        int n = exits.size();
        if (n > policy.crashLoopMaxRestarts()) {
            return new CrashLoop(n, policy.crashLoopMaxRestarts(), policy.crashLoopWindow());
        }
        return new Restart(n, policy.crashLoopMaxRestarts(), policy.crashLoopWindow(), backoff.delayMillis(n));
    }

    /** Exits within the window as of now. */
    public int exitsInWindow() {
        prune(clock.nanos());
        return exits.size();
    }

    /** Forgets every exit (crash loop reset, manual restart, new configuration). */
    public void reset() {
        exits.clear();
    }

    private void prune(long now) {
        long window = TimeUnit.MILLISECONDS.toNanos(policy.crashLoopWindow().toMillis());
        while (!exits.isEmpty() && now - exits.peekFirst() > window) {
            exits.removeFirst();
        }
    }
}
