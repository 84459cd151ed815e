package io.rvi.agent.supervision;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Runs one service's lifecycle operations (start, restart, reset, stop) one after the other, on one
 * context, so a stop never overlaps a spawn. An operation must not wait for another queued operation.
 */
final class SerialQueue {
    private Future<Void> tail = Future.succeededFuture();

    <T> Future<T> submit(Supplier<Future<T>> op) {
        Future<T> f = tail.transform(ar -> {
            try {
                return op.get();
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        });
        tail = f.transform(ar -> Future.succeededFuture());
        return f;
    }
}
