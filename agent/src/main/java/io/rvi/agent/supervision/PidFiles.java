package io.rvi.agent.supervision;

import io.rvi.common.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pidfiles under {@code <stateDir>/run}, one JSON {@link PidRecord} per service, written atomically.
 * Blocking file I/O: call from a worker.
 */
final class PidFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PidFiles.class);

    private final Path dir;

    PidFiles(Path dir) {
        this.dir = dir;
    }

    Path path(String service) {
        return dir.resolve(SpawnCommand.fileName(service) + ".pid");
    }

    /** The record, or null when there is none or it cannot be read (then it is treated as absent). */
    PidRecord read(String service) {
        Path p = path(service);
        try {
            byte[] bytes = Files.readAllBytes(p);
            PidRecord r = Json.read(bytes, PidRecord.class);
            if (r.pid() <= 0 || r.executable() == null || r.binary() == null || r.address() == null || r.argsHash() == null) {
                LOG.warn("{}: pidfile {} is incomplete; ignoring it", service, p);
                return null;
            }
            return r;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("{}: cannot read pidfile {} ({}); ignoring it", service, p, e.getMessage());
            return null;
        }
    }

    void write(String service, PidRecord r) throws IOException {
        Files.createDirectories(dir);
        Path target = path(service);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.write(tmp, Json.writeBytes(r));
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes the pidfile only if it still names {@code pid} (a newer process may have replaced it). */
    void deleteIfPid(String service, long pid) {
        PidRecord r = read(service);
        if (r != null && r.pid() == pid) {
            delete(service);
        }
    }

    void delete(String service) {
        try {
            Files.deleteIfExists(path(service));
        } catch (IOException e) {
            LOG.warn("{}: cannot delete pidfile {} ({})", service, path(service), e.getMessage());
        }
    }
}
