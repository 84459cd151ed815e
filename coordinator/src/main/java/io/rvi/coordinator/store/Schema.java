package io.rvi.coordinator.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The store's tables, versioned with SQLite's {@code user_version}. Events are deduplicated by
 * (agent_id, incarnation, seq) — a UNIQUE key, so that a resent batch is stored once
 * ({@code INSERT OR IGNORE}); {@code id} is an AUTOINCREMENT cursor that never goes back, even
 * after pruning, so clients can page with it.
 */
final class Schema {
    static final int VERSION = 1;

    private static final String[] V1 = {
        """
        CREATE TABLE IF NOT EXISTS agents (
          agent_id    TEXT PRIMARY KEY,
          cluster     TEXT NOT NULL,
          host        TEXT NOT NULL,
          version     TEXT NOT NULL,
          incarnation TEXT NOT NULL,
          first_seen  INTEGER NOT NULL,
          last_seen   INTEGER NOT NULL,
          interval_ms INTEGER NOT NULL,
          last_state  TEXT NOT NULL
        )""",
        """
        CREATE TABLE IF NOT EXISTS events (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          agent_id    TEXT NOT NULL,
          incarnation TEXT NOT NULL,
          seq         INTEGER NOT NULL,
          time        INTEGER NOT NULL,
          type        TEXT NOT NULL,
          severity    TEXT NOT NULL,
          service     TEXT,
          message     TEXT NOT NULL,
          data        TEXT,
          received_at INTEGER NOT NULL,
          UNIQUE (agent_id, incarnation, seq)
        )""",
        "CREATE INDEX IF NOT EXISTS events_by_agent ON events (agent_id, id)",
        "CREATE INDEX IF NOT EXISTS events_by_type ON events (type, id)",
        "CREATE INDEX IF NOT EXISTS events_by_received ON events (received_at)",
    };

    private Schema() {}

    /** Creates or upgrades the tables; refuses a database written by a newer coordinator. */
    static void migrate(Connection c) throws SQLException {
        int current;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            current = rs.next() ? rs.getInt(1) : 0;
        }
        if (current > VERSION) {
            throw new SQLException("the database has schema version " + current + ", newer than this coordinator's " + VERSION);
        }
        if (current == VERSION) {
            return;
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String sql : V1) {
                st.execute(sql);
            }
            st.execute("PRAGMA user_version = " + VERSION);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
