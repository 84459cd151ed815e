package io.rvi.agent.sentinel;

import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.common.Clock;
import io.rvi.common.config.HostPort;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds what every Sentinel reports (one copy per Sentinel; some steps only from the leader; the leader's
 * own {@code +switch-master} ~1 s after the others') into ONE {@link FailoverRecord} per real failover,
 * whichever Sentinels are reachable. At most one record is open per master name:
 * <ul>
 *   <li>it opens on a step of a failover: {@code +sdown}/{@code +odown} of the master, {@code +try-failover},
 *       {@code +elected-leader}, {@code +failover-state-*}, {@code +selected-slave}, {@code +promoted-slave},
 *       {@code +switch-master}; later steps ({@code +failover-end}, {@code -failover-abort-*},
 *       {@code -sdown}/{@code -odown}, {@code +slave-reconf-*}) only add to an open record;</li>
 *   <li>the FIRST {@code +switch-master} is passed to {@link Listener#switchMaster} and counted; a later one
 *       to the same new master (from another Sentinel, or late) is a duplicate;</li>
 *   <li>a switched record completes once every expected Sentinel announced the switch, or {@code settle}
 *       after the first announcement; one that never switched closes {@code quiet} after its last step
 *       ({@code aborted} if an abort was seen, else {@code timeout}) or {@code maxOpen} after it opened; one
 *       that never went past {@code +sdown}/{@code +odown} is dropped without a word when the master is
 *       back or after {@code quiet}.</li>
 * </ul>
 * The id is {@code <master>-epoch-<n>} when an epoch was seen ({@code +new-epoch}, {@code +vote-for-leader};
 * they name no master, so with several masters failing at once the attribution is a guess), else
 * {@code <master>-at-<millis>}. Plain class: time from a {@link Clock}, {@link #tick()} called by the owner
 * (a few times a second); thread-safe.
 */
public final class FailoverTracker {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverTracker.class);

    /** What the tracker decided. Called with the tracker's lock held: do not block. */
    public interface Listener {
        /** The first {@code +switch-master} of a failover. */
        void switchMaster(SwitchMaster s);

        /** A record closed (completed, aborted, timeout): once per record. */
        void failover(FailoverRecord r);
    }

    /**
     * @param settle        how long after the first +switch-master the others' copies are waited for (the leader's
     *                      comes once the replicas are reconfigured: seconds later with diskless sync's delay)
     * @param quiet         a record that has not switched closes after this long without a step
     * @param maxOpen       a record that has not switched closes after this long anyway
     * @param epochLookback an epoch seen this long before a record opened is taken as the record's
     * @param keep          closed records kept for {@link #recent()} and {@link #routingSwitched}
     */
    public record Settings(Duration settle, Duration quiet, Duration maxOpen, Duration epochLookback, int keep) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofSeconds(10), 32);
    }

    private record Mark(long millis, long nanos, HostPort source) {}

    /** A record being folded (mutable; snapshots are {@link FailoverRecord}). */
    private static final class Open {
        final String master;
        final long openedMillis;
        final long openedNanos;
        long lastNanos;
        String id;
        String outcome;
        Long closedMillis;
        HostPort from;
        HostPort to;
        Long epoch;
        HostPort leader;
        Long routedAt;
        boolean attempt;
        Mark sdown, odown, tryFailover, electedLeader, promotedSlave, switchMaster, failoverEnd, abort;
        final List<String> abortReasons = new ArrayList<>();
        final Set<HostPort> reporters = new LinkedHashSet<>();
        final Set<HostPort> switchReporters = new LinkedHashSet<>();
        final Set<HostPort> sdownBy = new HashSet<>();
        final Set<HostPort> odownBy = new HashSet<>();

        Open(String master, long millis, long nanos) {
            this.master = master;
            this.openedMillis = millis;
            this.openedNanos = nanos;
            this.lastNanos = nanos;
        }
    }

    private final Clock clock;
    private final FailoverMeters meters;
    private final Settings settings;
    private final Listener listener;
    private final Map<String, Open> open = new HashMap<>();
    private final Deque<Open> recent = new ArrayDeque<>();
    private final Map<String, HostPort> lastSwitchTo = new HashMap<>();
    private Set<HostPort> expected = Set.of();
    private Long lastEpoch;
    private long lastEpochNanos;

    public FailoverTracker(Clock clock, MeterRegistry registry, Settings settings, Listener listener) {
        this.clock = clock;
        this.meters = new FailoverMeters(registry);
        this.settings = settings;
        this.listener = listener;
    }

    /** The Sentinels whose +switch-master completes a record before {@code settle} (all configured ones). */
    public synchronized void expectedReporters(Collection<HostPort> sentinels) {
        this.expected = Set.copyOf(sentinels);
    }

    /** Registers the failover counter of a master at 0, so that it is scraped before the first failover. */
    public synchronized void prepareMeters(String masterName) {
        meters.failovers(masterName);
    }

    /** Folds one event in (events of every master; filter before when only one matters). */
    public synchronized void accept(SentinelEvent e) {
        long nanos = clock.nanos();
        if (e.epoch() != null && (e.type() == SentinelEventType.NEW_EPOCH || e.type() == SentinelEventType.VOTE_FOR_LEADER)) {
            noteEpoch(e.epoch(), nanos);
        }
        if (e.masterName() == null) {
            return;
        }
        switch (e.type()) {
            case SWITCH_MASTER -> switchMaster(e, nanos);
            case SDOWN, ODOWN -> {
                if (e.aboutMaster()) {
                    step(e, nanos, true);
                }
            }
            case SDOWN_CLEARED, ODOWN_CLEARED -> {
                if (e.aboutMaster()) {
                    step(e, nanos, false);
                }
            }
            case TRY_FAILOVER, ELECTED_LEADER, FAILOVER_STATE_SELECT_SLAVE, SELECTED_SLAVE, FAILOVER_STATE_SEND_SLAVEOF_NOONE,
                    FAILOVER_STATE_WAIT_PROMOTION, PROMOTED_SLAVE, FAILOVER_STATE_RECONF_SLAVES -> step(e, nanos, true);
            case FAILOVER_END, FAILOVER_END_FOR_TIMEOUT, FAILOVER_ABORT, SLAVE_RECONF_SENT, SLAVE_RECONF_SENT_TIMEOUT,
                    SLAVE_RECONF_INPROG, SLAVE_RECONF_DONE -> step(e, nanos, false);
            default -> { }
        }
        Open r = open.get(e.masterName());
        if (r != null) {
            check(r, nanos);
        }
    }

    /** Closes records whose time is up. */
    public synchronized void tick() {
        long nanos = clock.nanos();
        for (Open r : List.copyOf(open.values())) {
            check(r, nanos);
        }
    }

    /**
     * Routing (HAProxy...) now sends writes to the failover's new master: records
     * {@code rvi_redis_failover_routing_seconds} from the first +switch-master to {@code atMillis}, once per failover.
     */
    public synchronized void routingSwitched(String failoverId, long atMillis) {
        Open r = all().filter(o -> failoverId != null && failoverId.equals(o.id)).findFirst().orElse(null);
        if (r == null || r.switchMaster == null) {
            LOG.warn("failover {}: routing switched, but no switched failover has that id", failoverId);
            return;
        }
        if (r.routedAt != null) {
            return;
        }
        r.routedAt = atMillis;
        long ms = Math.max(0, atMillis - r.switchMaster.millis());
        meters.routing(r.master, ms);
        LOG.info("failover {}: routing switched to {} {} ms after +switch-master", r.id, r.to, ms);
    }

    /** The open record of a master, if any. */
    public synchronized Optional<FailoverRecord> open(String masterName) {
        return Optional.ofNullable(open.get(masterName)).map(this::snapshot);
    }

    /** Closed records, newest first. */
    public synchronized List<FailoverRecord> recent() {
        return recent.stream().map(this::snapshot).toList();
    }

    /** A record (open or closed) by id. */
    public synchronized Optional<FailoverRecord> find(String failoverId) {
        return all().filter(o -> failoverId.equals(o.id)).findFirst().map(this::snapshot);
    }

    private void noteEpoch(long epoch, long nanos) {
        if (lastEpoch == null || epoch >= lastEpoch) {
            lastEpoch = epoch;
            lastEpochNanos = nanos;
        }
        for (Open r : open.values()) {
            if (r.id == null && (r.epoch == null || epoch > r.epoch)) {
                r.epoch = epoch;
            }
        }
    }

    private void step(SentinelEvent e, long nanos, boolean head) {
        Open r = open.get(e.masterName());
        if (r != null && r.switchMaster != null && head && !e.masterAddress().equals(r.from)) {
            close(r, FailoverRecord.COMPLETED, nanos); // a new incident of the new master while the last one settles
            r = null;
        }
        if (r == null) {
            if (!head) {
                return; // the tail of a failover already closed (or never seen)
            }
            r = openRecord(e.masterName(), e.masterAddress(), nanos);
        }
        HostPort src = e.source();
        Mark mark = new Mark(e.receivedAt(), nanos, src);
        r.lastNanos = nanos;
        r.reporters.add(src);
        switch (e.type()) {
            case SDOWN -> {
                r.sdown = first(r.sdown, mark);
                r.sdownBy.add(src);
            }
            case ODOWN -> {
                r.odown = first(r.odown, mark);
                r.odownBy.add(src);
            }
            case SDOWN_CLEARED -> r.sdownBy.remove(src);
            case ODOWN_CLEARED -> r.odownBy.remove(src);
            case TRY_FAILOVER -> r.tryFailover = first(r.tryFailover, mark);
            case ELECTED_LEADER -> {
                r.electedLeader = first(r.electedLeader, mark);
                r.leader = r.leader == null ? src : r.leader;
            }
            case PROMOTED_SLAVE -> {
                r.promotedSlave = first(r.promotedSlave, mark);
                r.to = r.to == null ? e.instanceAddress() : r.to;
            }
            case FAILOVER_END, FAILOVER_END_FOR_TIMEOUT -> r.failoverEnd = first(r.failoverEnd, mark);
            case FAILOVER_ABORT -> {
                r.abort = first(r.abort, mark);
                if (!r.abortReasons.contains(e.abortReason())) {
                    r.abortReasons.add(e.abortReason());
                }
            }
            default -> { }
        }
        r.attempt |= e.type() != SentinelEventType.SDOWN && e.type() != SentinelEventType.ODOWN
                && e.type() != SentinelEventType.SDOWN_CLEARED && e.type() != SentinelEventType.ODOWN_CLEARED;
        if (!r.attempt && r.sdownBy.isEmpty() && r.odownBy.isEmpty()) {
            open.remove(r.master);
            LOG.info("master {} ({}): back before any failover started", r.master, r.from);
        }
    }

    private void switchMaster(SentinelEvent e, long nanos) {
        String m = e.masterName();
        HostPort from = e.masterAddress();
        HostPort to = e.newMasterAddress();
        HostPort src = e.source();
        Open r = open.get(m);
        if (r != null && r.switchMaster != null) {
            if (to.equals(r.to)) {
                r.switchReporters.add(src);
                r.reporters.add(src);
                r.lastNanos = nanos;
                return; // the same switch, from another Sentinel
            }
            close(r, FailoverRecord.COMPLETED, nanos);
            r = null;
        }
        if (to.equals(lastSwitchTo.get(m))) {
            recent.stream().filter(o -> o.master.equals(m) && to.equals(o.to)).findFirst().ifPresent(o -> {
                o.switchReporters.add(src);
                o.reporters.add(src);
            });
            LOG.debug("+switch-master {} {} -> {} from {}: already known, not published again", m, from, to, src);
            return;
        }
        if (r == null) {
            r = openRecord(m, from, nanos);
        }
        Mark mark = new Mark(e.receivedAt(), nanos, src);
        r.attempt = true;
        r.lastNanos = nanos;
        r.reporters.add(src);
        r.switchReporters.add(src);
        r.switchMaster = mark;
        if (r.from == null || r.from.equals(to)) {
            r.from = from; // else keep the master the incident was about (a Sentinel that missed a switch names an older one)
        }
        from = r.from;
        r.to = to;
        r.id = newId(r);
        lastSwitchTo.put(m, to);
        meters.failovers(m).increment();
        Long start = startNanos(r);
        if (start != null) {
            meters.duration(m, nanos - start);
        }
        LOG.info("failover {}: {} switched from {} to {} (first announced by Sentinel {}{})", r.id, m, from, to, src,
                start == null ? "" : ", " + (nanos - start) / 1_000_000 + " ms after +odown/+try-failover");
        SwitchMaster s = new SwitchMaster(r.id, m, from, to, mark.millis(), src);
        try {
            listener.switchMaster(s);
        } catch (RuntimeException ex) {
            LOG.error("failover {}: switch-master listener failed: {}", r.id, ex.toString(), ex);
        }
    }

    private Open openRecord(String master, HostPort from, long nanos) {
        Open r = new Open(master, clock.millis(), nanos);
        r.from = from;
        if (lastEpoch != null && nanos - lastEpochNanos <= settings.epochLookback().toNanos()) {
            r.epoch = lastEpoch;
        }
        open.put(master, r);
        return r;
    }

    private void check(Open r, long nanos) {
        if (open.get(r.master) != r) {
            return;
        }
        if (r.switchMaster != null) {
            boolean everyone = !expected.isEmpty() && r.switchReporters.containsAll(expected);
            if (everyone || nanos - r.switchMaster.nanos() >= settings.settle().toNanos()) {
                close(r, FailoverRecord.COMPLETED, nanos);
            }
        } else if (nanos - r.lastNanos >= settings.quiet().toNanos() || nanos - r.openedNanos >= settings.maxOpen().toNanos()) {
            if (r.attempt) {
                close(r, r.abort != null ? FailoverRecord.ABORTED : FailoverRecord.TIMEOUT, nanos);
            } else {
                open.remove(r.master);
                LOG.debug("master {}: down reports without a failover, dropped", r.master);
            }
        }
    }

    private void close(Open r, String outcome, long nanos) {
        open.remove(r.master, r);
        r.outcome = outcome;
        r.closedMillis = clock.millis();
        if (r.id == null) {
            r.id = newId(r);
        }
        recent.addFirst(r);
        while (recent.size() > Math.max(1, settings.keep())) {
            recent.removeLast();
        }
        FailoverRecord snap = snapshot(r);
        LOG.info("failover {}: {} ({} -> {}, reported by {} Sentinel(s), open {} ms)", r.id, outcome, r.from, r.to == null ? "?" : r.to,
                r.reporters.size(), (nanos - r.openedNanos) / 1_000_000);
        try {
            listener.failover(snap);
        } catch (RuntimeException ex) {
            LOG.error("failover {}: listener failed: {}", r.id, ex.toString(), ex);
        }
    }

    private String newId(Open r) {
        if (r.epoch != null) {
            String id = r.master + "-epoch-" + r.epoch;
            if (!idUsed(id)) {
                return id;
            }
        }
        String base = r.master + "-at-" + r.openedMillis;
        String id = base;
        for (int n = 2; idUsed(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private boolean idUsed(String id) {
        return all().anyMatch(o -> id.equals(o.id));
    }

    private Stream<Open> all() {
        return Stream.concat(open.values().stream(), recent.stream());
    }

    private static Long startNanos(Open r) {
        Long a = r.odown == null ? null : r.odown.nanos();
        Long b = r.tryFailover == null ? null : r.tryFailover.nanos();
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    private FailoverRecord snapshot(Open r) {
        Long start = startNanos(r);
        Long duration = r.switchMaster == null || start == null ? null : Math.max(0, r.switchMaster.nanos() - start) / 1_000_000;
        return new FailoverRecord(r.id, r.master, r.from, r.to, r.outcome, r.epoch, r.openedMillis, millis(r.sdown),
                millis(r.odown), millis(r.tryFailover), millis(r.electedLeader), millis(r.promotedSlave), millis(r.switchMaster),
                millis(r.failoverEnd), millis(r.abort), List.copyOf(r.abortReasons), r.leader, List.copyOf(r.reporters),
                List.copyOf(r.switchReporters), duration, r.routedAt, r.closedMillis);
    }

    private static Long millis(Mark m) {
        return m == null ? null : m.millis();
    }

    private static Mark first(Mark existing, Mark candidate) {
        return existing == null ? candidate : existing;
    }
}
