package io.rvi.agent.redis.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Replies recorded from real Redis 7.0.15 processes (see {@code src/test/resources/redis-info/README.md}):
 * INFO texts as they came, other replies as the raw RESP2 bytes, read here into the plain values of
 * {@link Replies} (String, Long, List, {@link Replies.Error}, null).
 */
final class Recorded {
    private Recorded() {}

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static Object resp(String name) {
        byte[] b = bytes(name);
        int[] at = {0};
        Object v = read(b, at);
        if (at[0] != b.length) {
            throw new IllegalStateException(name + ": " + (b.length - at[0]) + " bytes after the reply");
        }
        return v;
    }

    static byte[] bytes(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("/redis-info/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource redis-info/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object read(byte[] b, int[] at) {
        char type = (char) b[at[0]++];
        String line = line(b, at);
        switch (type) {
            case '+':
                return line;
            case '-':
                return new Replies.Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                String s = new String(b, at[0], n, StandardCharsets.UTF_8);
                at[0] += n + 2;
                return s;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(b, at));
                }
                return items;
            }
            default:
                throw new IllegalStateException("not RESP2: type byte '" + type + "'");
        }
    }

    private static String line(byte[] b, int[] at) {
        int start = at[0];
        while (!(b[at[0]] == '\r' && b[at[0] + 1] == '\n')) {
            at[0]++;
        }
        String s = new String(b, start, at[0] - start, StandardCharsets.UTF_8);
        at[0] += 2;
        return s;
    }
}
