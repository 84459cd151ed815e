package io.rvi.coordinator.store;

import io.rvi.common.protocol.AgentEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The store as seen from the event loop: every call runs on the named worker executor
 * {@code rvi-store} (one thread: SQLite has one writer anyway), and completes a Future.
 */
public final class AsyncStore {
    public static final String EXECUTOR = "rvi-store";

    private final SqliteStore store;
    private final WorkerExecutor worker;

    public AsyncStore(Vertx vertx, SqliteStore store) {
        this.store = store;
        this.worker = vertx.createSharedWorkerExecutor(EXECUTOR, 1);
    }

    public Future<Void> upsertAgent(AgentRow row) {
        return run(() -> {
            store.upsertAgent(row);
            return null;
        });
    }

    public Future<List<AgentRow>> agents() {
        return run(store::agents);
    }

    public Future<InsertResult> insertEvents(String agentId, String incarnation, List<AgentEvent> events, long receivedAt) {
        return run(() -> store.insertEvents(agentId, incarnation, events, receivedAt));
    }

    public Future<List<StoredEvent>> events(EventQuery query) {
        return run(() -> store.events(query));
    }

    public Future<Long> prune(long cutoffMillis, long maxEvents) {
        return run(() -> store.prune(cutoffMillis, maxEvents));
    }

    /** Closes the database after every queued call, then the executor. */
    public Future<Void> close() {
        Future<Void> closed = run(() -> {
            store.close();
            return null;
        });
        return closed.transform(ar -> worker.close());
    }

    private <T> Future<T> run(Callable<T> call) {
        return worker.executeBlocking(call, true);
    }
}
