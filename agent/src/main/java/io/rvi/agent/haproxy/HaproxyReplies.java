package io.rvi.agent.haproxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads runtime API replies: success or HAProxy's own error text, and {@code show servers state} tables. */
public final class HaproxyReplies {
    private HaproxyReplies() {}

    /**
     * A {@code set server} / {@code shutdown sessions} reply: HAProxy answers an empty line on success and
     * a text ({@code No such server.}) otherwise.
     *
     * @throws HaproxyRefused with HAProxy's exact reply
     */
    public static void expectEmpty(String command, String reply) {
        String text = reply == null ? "" : reply.strip();
        if (!text.isEmpty()) {
            throw new HaproxyRefused(command, text);
        }
    }

    /**
     * Parses {@code show servers state BE} (format version 1): a version line, a {@code #} header naming
     * the columns, then one line per server. Columns are found by name, so added columns do no harm.
     *
     * @throws HaproxyRefused when the reply is not such a table ({@code Can't find backend.})
     */
    public static List<HaproxyServer> serversState(String command, String reply) {
        String text = reply == null ? "" : reply.strip();
        String[] lines = text.split("\n");
        if (lines.length < 2 || !lines[0].strip().equals("1") || !lines[1].startsWith("#")) {
            throw new HaproxyRefused(command, text.isEmpty() ? "(empty reply)" : text);
        }
        String[] header = lines[1].substring(1).strip().split("\\s+");
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            col.put(header[i], i);
        }
        for (String needed : List.of("be_name", "srv_name", "srv_addr", "srv_op_state", "srv_admin_state")) {
            if (!col.containsKey(needed)) {
                throw new HaproxyRefused(command, "unexpected show servers state header, no " + needed + ": " + lines[1]);
            }
        }
        List<HaproxyServer> out = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < header.length) {
                throw new HaproxyRefused(command, "short show servers state line (" + f.length + " of " + header.length
                        + " fields): " + line);
            }
            out.add(new HaproxyServer(f[col.get("be_name")], f[col.get("srv_name")], f[col.get("srv_addr")],
                    intOr(f, col.get("srv_port"), 0), intOr(f, col.get("srv_op_state"), -1),
                    intOr(f, col.get("srv_admin_state"), 0), intOr(f, col.get("srv_check_health"), 0)));
        }
        return List.copyOf(out);
    }

    private static int intOr(String[] f, Integer index, int fallback) {
        if (index == null || index >= f.length) {
            return fallback;
        }
        try {
            return Integer.parseInt(f[index]);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
