package io.rvi.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the Debian redis binaries are, and the skip for machines without them: the test is aborted
 * (reported as skipped) with the reason printed, never passed silently.
 */
public final class RedisBinaries {
    public static final Path REDIS_SERVER = Path.of(System.getProperty("rvi.test.redis-server", "/usr/bin/redis-server"));
    public static final Path REDIS_SENTINEL = Path.of(System.getProperty("rvi.test.redis-sentinel", "/usr/bin/redis-sentinel"));

    private RedisBinaries() {}

    public static boolean available() {
        return Files.isExecutable(REDIS_SERVER) && Files.isExecutable(REDIS_SENTINEL);
    }

    /** Skips the calling test, saying why, when redis-server or redis-sentinel is missing. */
    public static void assumeAvailable() {
        if (!available()) {
            String why = "SKIPPED: needs " + REDIS_SERVER + " and " + REDIS_SENTINEL
                    + " (Debian packages redis-server, redis-sentinel); not found or not executable";
            System.err.println(why);
            Assumptions.abort(why);
        }
    }
}
