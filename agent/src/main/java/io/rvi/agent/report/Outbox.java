package io.rvi.agent.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rvi.common.ExitCode;
import io.rvi.common.Json;
import io.rvi.common.StartupException;
import io.rvi.common.protocol.AgentEvent;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's outbox of events for the coordinator: on disk under {@code <state_dir>/outbox/},
 * bounded, surviving restarts (numbering continues; what was not acknowledged is sent again, in
 * order). {@link #add} never blocks: it numbers the event and queues it; the queue is written to
 * disk in groups (one fsync per group) on the worker executor given to {@link #open}, where every
 * other file operation runs too. When more than {@code maxEvents} are pending, the oldest are
 * dropped ({@code rvi_outbox_dropped_total}). Metrics: {@code rvi_outbox_pending}.
 *
 * <p>Files: see {@link OutboxFiles}. A write that fails (disk full) keeps the events in memory (up to
 * {@code maxEvents}) and is tried again with the next event or delivery.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    public static final String DIR = "outbox";

    private final OutboxFiles files;
    private final WorkerExecutor worker;
    private final int maxEvents;
    private final Counter droppedCounter;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong onDisk = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private final Object lock = new Object();
    private final ArrayDeque<OutboxFiles.Line> queue = new ArrayDeque<>();
    private long nextSeq;
    private boolean draining;
    private boolean writeFailing;
    private boolean closed;

    private Outbox(OutboxFiles files, WorkerExecutor worker, int maxEvents, MeterRegistry registry) {
        this.files = files;
        this.worker = worker;
        this.maxEvents = maxEvents;
        this.nextSeq = files.lastSeq() + 1;
        this.onDisk.set(files.pending());
        this.droppedCounter = Counter.builder("rvi.outbox.dropped")
                .description("Events dropped, oldest first, because the outbox was full").register(registry);
        Gauge.builder("rvi.outbox.pending", this, Outbox::pending).strongReference(true)
                .description("Events waiting to be acknowledged by the coordinator").register(registry);
    }

    /**
     * Opens (creating, recovering) the outbox in {@code dir} — usually {@code <state_dir>/outbox}.
     * Blocks (startup only). Later file I/O runs on {@code worker}, which should have one thread
     * (the caller owns it). Fails with {@link ExitCode#STATE_DIR} when the directory cannot be
     * created, read or written.
     */
    public static Outbox open(Path dir, int maxEvents, WorkerExecutor worker, MeterRegistry registry) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("outbox: maxEvents must be at least 1, got " + maxEvents);
        }
        OutboxFiles files;
        try {
            files = OutboxFiles.open(dir, segmentEvents(maxEvents));
        } catch (IOException | UncheckedIOException e) {
            throw new StartupException(ExitCode.STATE_DIR, "outbox " + dir + " cannot be opened: " + e.getMessage(), e);
        }
        Outbox o = new Outbox(files, worker, maxEvents, registry);
        LOG.info("outbox {}: incarnation {}, {} events pending, next seq {}", dir, files.incarnation(), files.pending(),
                files.lastSeq() + 1);
        if (files.pending() > maxEvents) {
            o.schedule();
        }
        return o;
    }

    /** Events per segment file: small enough that dropping and deleting stay fine-grained. */
    static int segmentEvents(int maxEvents) {
        return Math.max(1, Math.min(1000, maxEvents / 8));
    }

    /** This state directory's incarnation: events are identified by (agent, incarnation, seq). */
    public String incarnation() {
        return files.incarnation();
    }

    /**
     * Numbers an event, queues it for disk and returns it (with {@code data} replaced by an error
     * note if it cannot be written as JSON). Never blocks; callable from any thread.
     */
    public AgentEvent add(long time, String type, String severity, String service, String message, Map<String, Object> data) {
        OutboxFiles.Line line;
        synchronized (lock) {
            AgentEvent e = new AgentEvent(nextSeq, time, type, severity, service, message, data == null ? Map.of() : data);
            byte[] json;
            try {
                json = Json.writeBytes(e);
            } catch (RuntimeException ex) {
                e = new AgentEvent(nextSeq, time, type, severity, service, message,
                        Map.of("unserializable_data", String.valueOf(ex.getMessage())));
                json = Json.writeBytes(e);
            }
            nextSeq++;
            line = new OutboxFiles.Line(e, json);
            queue.addLast(line);
            while (queue.size() > maxEvents) {
                queue.removeFirst();
                countDropped(1);
            }
        }
        schedule();
        return line.event();
    }

    /** Up to {@code max} of the oldest events not yet acknowledged (written ones only), in seq order. */
    public Future<List<AgentEvent>> next(int max) {
        return worker.executeBlocking(() -> {
            drain();
            return files.read(max);
        }, true);
    }

    /** The coordinator has stored every event up to {@code seq}. */
    public Future<Void> ack(long seq) {
        return worker.executeBlocking(() -> {
            files.advanceTo(seq);
            onDisk.set(files.pending());
            return null;
        }, true);
    }

    /** Completes when every event added so far is on disk (or the disk is failing). */
    public Future<Void> flush() {
        return worker.executeBlocking(() -> {
            drain();
            return null;
        }, true);
    }

    /** Events not yet acknowledged: on disk and queued. */
    public long pending() {
        synchronized (lock) {
            return onDisk.get() + queue.size();
        }
    }

    public long dropped() {
        return dropped.get();
    }

    /**
     * Calls {@code listener} after new events reach the disk (on the outbox worker thread: it must
     * only hand off, never block).
     */
    public void onAppended(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /**
     * Writes what is still queued and closes the files, on the calling thread (it blocks: call it
     * at shutdown, possibly after Vert.x is closed). Events added later are not kept.
     */
    public void close() {
        drain();
        synchronized (lock) {
            closed = true;
        }
        try {
            files.close();
        } catch (IOException e) {
            LOG.warn("outbox: close: {}", e.getMessage());
        }
    }

    /** Starts a drain on the worker unless one is already going. */
    private void schedule() {
        synchronized (lock) {
            if (draining || closed) {
                return;
            }
            draining = true;
        }
        try {
            worker.executeBlocking(this::drain, true).onFailure(this::scheduleFailed);
        } catch (RuntimeException e) {
            scheduleFailed(e);
        }
    }

    private void scheduleFailed(Throwable e) {
        synchronized (lock) {
            draining = false;
        }
        LOG.warn("outbox: a write could not run (it is tried again with the next event): {}", e.toString());
    }

    /**
     * Writes queued lines in groups until the queue is empty (on the worker; also from
     * {@link #next}, {@link #flush} and {@link #close}: the files object is used by one thread at a
     * time).
     */
    private Void drain() {
        synchronized (files) {
            return drainLocked();
        }
    }

    private Void drainLocked() {
        while (true) {
            List<OutboxFiles.Line> batch;
            synchronized (lock) {
                if (queue.isEmpty() || closed) {
                    draining = false;
                    return null;
                }
                batch = new ArrayList<>(queue);
                queue.clear();
            }
            try {
                files.append(batch);
            } catch (IOException | RuntimeException e) {
                requeueAfterFailure(batch, e);
                return null;
            }
            long over;
            synchronized (lock) {
                if (writeFailing) {
                    writeFailing = false;
                    LOG.info("outbox: writing works again");
                }
                over = files.pending() + queue.size() - maxEvents;
            }
            if (over > 0) {
                try {
                    countDropped(files.dropOldest(over));
                } catch (IOException e) {
                    LOG.warn("outbox: cannot drop the oldest events: {}", e.getMessage());
                }
            }
            onDisk.set(files.pending());
            for (Runnable l : listeners) {
                try {
                    l.run();
                } catch (RuntimeException e) {
                    LOG.debug("outbox: a listener failed: {}", e.toString());
                }
            }
        }
    }

    private void requeueAfterFailure(List<OutboxFiles.Line> batch, Exception e) {
        synchronized (lock) {
            long written = files.lastSeq();
            for (int i = batch.size() - 1; i >= 0; i--) {
                if (batch.get(i).event().seq() > written) {
                    queue.addFirst(batch.get(i));
                }
            }
            while (queue.size() > maxEvents) {
                queue.removeFirst();
                countDropped(1);
            }
            if (!writeFailing) {
                LOG.error("outbox: cannot write events to disk (kept in memory, up to {}; retried with the next event or delivery): {}",
                        maxEvents, e.toString());
            }
            writeFailing = true;
            draining = false;
        }
        onDisk.set(files.pending());
    }

    private void countDropped(long n) {
        if (n > 0) {
            dropped.addAndGet(n);
            droppedCounter.increment(n);
        }
    }
}
