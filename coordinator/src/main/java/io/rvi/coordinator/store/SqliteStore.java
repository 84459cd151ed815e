package io.rvi.coordinator.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rvi.common.ExitCode;
import io.rvi.common.Json;
import io.rvi.common.StartupException;
import io.rvi.common.protocol.AgentEvent;
import io.rvi.common.protocol.ObservedState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent registry and event journal in one SQLite file (WAL mode). Every method blocks: call
 * them only from a worker thread (see {@link AsyncStore}). One connection, used by one thread at a
 * time (methods are synchronized).
 */
public final class SqliteStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final int PRUNE_CHUNK = 10_000;

    private final Path path;
    private final Connection conn;

    private SqliteStore(Path path, Connection conn) {
        this.path = path;
        this.conn = conn;
    }

    /**
     * Opens (creating if needed) the database at {@code path}. Fails with {@link ExitCode#STATE_DIR}
     * when its directory cannot be created or written, or the file cannot be opened as a database.
     */
    public static SqliteStore open(Path path) {
        Path file = path.toAbsolutePath();
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StartupException(ExitCode.STATE_DIR, "store directory " + dir + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir) || Files.exists(file) && !Files.isWritable(file)) {
            throw new StartupException(ExitCode.STATE_DIR, "store " + (Files.isWritable(dir) ? file : dir) + " is not writable");
        }
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 5000");
                try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                    String mode = rs.next() ? rs.getString(1) : "?";
                    if (!"wal".equalsIgnoreCase(mode)) {
                        LOG.warn("store {}: journal mode is {} (WAL was asked for)", file, mode);
                    }
                }
                st.execute("PRAGMA synchronous = NORMAL");
            }
            Schema.migrate(c);
            return new SqliteStore(file, c);
        } catch (SQLException e) {
            throw new StartupException(ExitCode.STATE_DIR, "store " + file + " cannot be opened: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** Inserts or updates an agent's row; {@code first_seen} is kept from the first time. */
    public synchronized void upsertAgent(AgentRow a) throws SQLException {
        String sql = """
                INSERT INTO agents (agent_id, cluster, host, version, incarnation, first_seen, last_seen, interval_ms, last_state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (agent_id) DO UPDATE SET cluster = excluded.cluster, host = excluded.host,
                  version = excluded.version, incarnation = excluded.incarnation, last_seen = excluded.last_seen,
                  interval_ms = excluded.interval_ms, last_state = excluded.last_state""";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, a.agentId());
            ps.setString(2, a.cluster());
            ps.setString(3, a.host());
            ps.setString(4, a.version());
            ps.setString(5, a.incarnation());
            ps.setLong(6, a.firstSeen());
            ps.setLong(7, a.lastSeen());
            ps.setLong(8, a.intervalMillis());
            ps.setString(9, Json.write(a.lastState()));
            ps.executeUpdate();
        }
    }

    /** Every registered agent, by id. A row whose state cannot be read is returned without state. */
    public synchronized List<AgentRow> agents() throws SQLException {
        List<AgentRow> out = new ArrayList<>();
        String sql = "SELECT agent_id, cluster, host, version, incarnation, first_seen, last_seen, interval_ms, last_state FROM agents ORDER BY agent_id";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                ObservedState state = null;
                try {
                    state = Json.read(rs.getString(9).getBytes(StandardCharsets.UTF_8), ObservedState.class);
                } catch (IllegalArgumentException e) {
                    LOG.warn("store: the last state of agent {} cannot be read; it is shown without services until it reports again", rs.getString(1));
                }
                out.add(new AgentRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), state));
            }
        }
        return out;
    }

    /**
     * Stores a batch in one transaction; events already present (same agent, incarnation, seq) are
     * left as they are.
     */
    public synchronized InsertResult insertEvents(String agentId, String incarnation, List<AgentEvent> events, long receivedAt)
            throws SQLException {
        if (events.isEmpty()) {
            return new InsertResult(0, maxSeq(agentId, incarnation));
        }
        String sql = "INSERT OR IGNORE INTO events (agent_id, incarnation, seq, time, type, severity, service, message, data, received_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        int stored = 0;
        long max = 0;
        conn.setAutoCommit(false);
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (AgentEvent e : events) {
                ps.setString(1, agentId);
                ps.setString(2, incarnation);
                ps.setLong(3, e.seq());
                ps.setLong(4, e.time());
                ps.setString(5, e.type());
                ps.setString(6, e.severity());
                if (e.service() == null) {
                    ps.setNull(7, Types.VARCHAR);
                } else {
                    ps.setString(7, e.service());
                }
                ps.setString(8, e.message());
                if (e.data() == null) {
                    ps.setNull(9, Types.VARCHAR);
                } else {
                    ps.setString(9, Json.write(e.data()));
                }
                ps.setLong(10, receivedAt);
                stored += ps.executeUpdate();
                max = Math.max(max, e.seq());
            }
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
        return new InsertResult(stored, max);
    }

    /** The highest seq stored for one incarnation of an agent, or 0. */
    public synchronized long maxSeq(String agentId, String incarnation) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT max(seq) FROM events WHERE agent_id = ? AND incarnation = ?")) {
            ps.setString(1, agentId);
            ps.setString(2, incarnation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    public synchronized List<StoredEvent> events(EventQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, agent_id, incarnation, seq, time, type, severity, service, message, data, received_at "
                + "FROM events WHERE id > ?");
        if (q.agentId() != null) {
            sql.append(" AND agent_id = ?");
        }
        if (q.type() != null) {
            sql.append(" AND type = ?");
        }
        sql.append(" ORDER BY id LIMIT ?");
        List<StoredEvent> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setLong(i++, q.afterId());
            if (q.agentId() != null) {
                ps.setString(i++, q.agentId());
            }
            if (q.type() != null) {
                ps.setString(i++, q.type());
            }
            ps.setInt(i, q.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), data(rs.getString(10)), rs.getLong(11)));
                }
            }
        }
        return out;
    }

    public synchronized long countEvents() throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * Deletes events received before {@code cutoffMillis}, then the oldest beyond {@code maxEvents},
     * in chunks so that no single transaction holds the database for long. Returns how many went.
     */
    public long prune(long cutoffMillis, long maxEvents) throws SQLException {
        long deleted = 0;
        int n;
        do {
            n = deleteChunk("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE received_at < ? ORDER BY id LIMIT " + PRUNE_CHUNK + ")",
                    cutoffMillis);
            deleted += n;
        } while (n == PRUNE_CHUNK);
        long excess = countEvents() - maxEvents;
        while (excess > 0) {
            int chunk = (int) Math.min(excess, PRUNE_CHUNK);
            n = deleteChunk("DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?)", chunk);
            deleted += n;
            excess -= n;
            if (n == 0) {
                break;
            }
        }
        return deleted;
    }

    private synchronized int deleteChunk(String sql, long arg) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, arg);
            return ps.executeUpdate();
        }
    }

    private static Map<String, Object> data(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(json, MAP);
        } catch (IOException e) {
            return Map.of("unreadable", json);
        }
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            LOG.warn("store {}: close failed: {}", path, e.getMessage());
        }
    }
}
