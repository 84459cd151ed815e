package io.rvi.common.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures logback from the program's config: one stdout appender (journald keeps it) behind an
 * asynchronous queue, in {@code text} ({@value #TEXT_PATTERN}) or {@code json} ({@link JsonLineLayout}),
 * at one root level. Callable again on every config reload: the new appender replaces the old one
 * without losing lines. Before it is first called, the program's {@code logback.xml} applies.
 *
 * <p>The queue never blocks a thread that logs (a stuck journald must not stall the event loop): when
 * it is full, lines are dropped. Call {@link #flush()} as the last step before the process exits,
 * so the lines still queued are written.
 */
public final class LoggingSetup {
    public static final String TEXT_PATTERN = "%d{ISO8601} %-5level [%thread] %logger{20} - %msg%n";
    static final String APPENDER_NAME = "rvi-stdout";
    private static final int QUEUE_SIZE = 8192;
    private static final int MAX_FLUSH_MILLIS = 2000;

    private static String appliedFormat;

    private LoggingSetup() {}

    /**
     * @param format {@code text} or {@code json}
     * @param level  {@code trace}, {@code debug}, {@code info}, {@code warn} or {@code error}
     * @throws IllegalArgumentException for another format or level
     */
    public static synchronized void apply(String format, String level) {
        boolean json = parseFormat(format);
        Level lvl = parseLevel(level);
        routeVertxToSlf4j();
        LoggerContext ctx = context();
        if (ctx == null) {
            return;
        }
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(lvl);
        String fmt = json ? "json" : "text";
        Appender<ILoggingEvent> current = root.getAppender(APPENDER_NAME);
        if (fmt.equals(appliedFormat) && current instanceof AsyncAppender && current.isStarted()) {
            return;
        }
        replaceAppenders(root, async(ctx, console(ctx, json)));
        appliedFormat = fmt;
    }

    /**
     * Writes every queued line and goes on logging synchronously (same format), so lines logged
     * during the rest of the shutdown are not lost either. A later {@link #apply} queues again.
     */
    public static synchronized void flush() {
        LoggerContext ctx = context();
        if (ctx == null || appliedFormat == null) {
            return;
        }
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(APPENDER_NAME) instanceof AsyncAppender) {
            replaceAppenders(root, console(ctx, "json".equals(appliedFormat)));
        }
    }

    /**
     * Makes Vert.x log through SLF4J (it would anyway when SLF4J is bound, unless a JUL config file
     * is on the class path). Takes effect only before Vert.x first logs; {@link #apply} calls it.
     */
    public static void routeVertxToSlf4j() {
        if (System.getProperty("vertx.logger-delegate-factory-class-name") == null) {
            System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
        }
    }

    static boolean parseFormat(String format) {
        String f = format == null ? "" : format.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "json" -> true;
            case "text" -> false;
            default -> throw new IllegalArgumentException("logging format \"" + format + "\": expected text or json");
        };
    }

    static Level parseLevel(String level) {
        String l = level == null ? "" : level.toLowerCase(Locale.ROOT);
        return switch (l) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> throw new IllegalArgumentException("logging level \"" + level + "\": expected trace, debug, info, warn or error");
        };
    }

    private static LoggerContext context() {
        ILoggerFactory f = LoggerFactory.getILoggerFactory();
        if (f instanceof LoggerContext ctx) {
            return ctx;
        }
        System.err.println("rvi: logging is not done by logback (" + f.getClass().getName() + "); logging settings ignored");
        return null;
    }

    /** Attaches {@code next} first, then detaches and stops every other root appender (stopping drains a queue). */
    private static void replaceAppenders(ch.qos.logback.classic.Logger root, Appender<ILoggingEvent> next) {
        List<Appender<ILoggingEvent>> old = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            old.add(it.next());
        }
        root.addAppender(next);
        for (Appender<ILoggingEvent> a : old) {
            root.detachAppender(a);
            a.stop();
        }
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext ctx, boolean json) {
        Encoder<ILoggingEvent> encoder;
        if (json) {
            JsonLineLayout layout = new JsonLineLayout();
            layout.setContext(ctx);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> e = new LayoutWrappingEncoder<>();
            e.setLayout(layout);
            e.setCharset(StandardCharsets.UTF_8);
            encoder = e;
        } else {
            PatternLayoutEncoder e = new PatternLayoutEncoder();
            e.setPattern(TEXT_PATTERN);
            e.setCharset(StandardCharsets.UTF_8);
            encoder = e;
        }
        encoder.setContext(ctx);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName(APPENDER_NAME);
        console.setContext(ctx);
        console.setEncoder(encoder);
        console.start();
        return console;
    }

    private static AsyncAppender async(LoggerContext ctx, ConsoleAppender<ILoggingEvent> console) {
        AsyncAppender async = new AsyncAppender();
        async.setName(APPENDER_NAME);
        async.setContext(ctx);
        async.setQueueSize(QUEUE_SIZE);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(true);
        async.setMaxFlushTime(MAX_FLUSH_MILLIS);
        async.setIncludeCallerData(false);
        async.addAppender(console);
        async.start();
        return async;
    }
}
