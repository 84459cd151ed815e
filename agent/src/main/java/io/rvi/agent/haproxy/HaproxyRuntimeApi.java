package io.rvi.agent.haproxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends one command per connection to HAProxy's runtime API (stats socket) and returns the whole
 * reply (HAProxy closes the connection after answering). Blocking socket I/O on a worker executor,
 * never on the event loop; a timer closes the channel when {@code timeout} passes, which ends a
 * blocked connect or read. Failures to talk at all are {@link HaproxyUnreachable} with a message that
 * says what to fix.
 */
public final class HaproxyRuntimeApi {
    private static final int MAX_REPLY = 1 << 20;

    private final Vertx vertx;
    private final WorkerExecutor worker;
    private final RuntimeApiTarget target;
    private final Duration timeout;

    public HaproxyRuntimeApi(Vertx vertx, WorkerExecutor worker, RuntimeApiTarget target, Duration timeout) {
        this.vertx = vertx;
        this.worker = worker;
        this.target = target;
        this.timeout = timeout;
    }

    public RuntimeApiTarget target() {
        return target;
    }

    /** The raw reply to {@code command} (one line, no newline). */
    public Future<String> call(String command) {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0 || command.indexOf(';') >= 0) {
            return Future.failedFuture(new IllegalArgumentException("one command per call: " + command));
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        SocketChannel[] holder = new SocketChannel[1];
        long ms = Math.max(1, timeout.toMillis());
        long timer = vertx.setTimer(ms, id -> {
            timedOut.set(true);
            synchronized (holder) {
                closeQuietly(holder[0]);
            }
        });
        return worker.<String>executeBlocking(() -> exchange(command, holder, timedOut, ms), false)
                .andThen(ar -> vertx.cancelTimer(timer));
    }

    private String exchange(String command, SocketChannel[] holder, AtomicBoolean timedOut, long ms) {
        if (target.unix() && !Files.exists(target.unixPath())) {
            throw new HaproxyUnreachable("haproxy runtime API socket missing: " + target
                    + " (is haproxy running with 'stats socket " + target + " level admin'?)", false, null);
        }
        SocketChannel ch = null;
        try {
            ch = target.unix() ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX) : SocketChannel.open();
            synchronized (holder) {
                holder[0] = ch;
                if (timedOut.get()) {
                    throw new ClosedChannelException();
                }
            }
            ch.connect(target.socketAddress());
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
                if (out.size() > MAX_REPLY) {
                    throw new IOException("reply larger than " + MAX_REPLY + " bytes");
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw classify(e, timedOut.get(), ms);
        } finally {
            closeQuietly(ch);
        }
    }

    private HaproxyUnreachable classify(IOException e, boolean timedOut, long ms) {
        if (timedOut || e instanceof AsynchronousCloseException || e instanceof ClosedChannelException) {
            return new HaproxyUnreachable("haproxy runtime API " + target + ": no complete reply within " + ms + " ms", true, e);
        }
        String m = String.valueOf(e.getMessage());
        if (e instanceof AccessDeniedException || m.contains("Permission denied")) {
            return new HaproxyUnreachable("haproxy runtime API " + target + ": permission denied (the agent's user needs"
                    + " read/write access to the socket: 'stats socket ... mode 660 group <agent group> level admin')", false, e);
        }
        if (e instanceof ConnectException || m.contains("Connection refused")) {
            return new HaproxyUnreachable("haproxy runtime API " + target + ": connection refused (haproxy not running,"
                    + " or a stale socket file)", false, e);
        }
        if (e instanceof SocketException && m.contains("No such file")) {
            return new HaproxyUnreachable("haproxy runtime API socket missing: " + target, false, e);
        }
        return new HaproxyUnreachable("haproxy runtime API " + target + ": " + e, false, e);
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
