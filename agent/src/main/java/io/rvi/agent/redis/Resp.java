package io.rvi.agent.redis;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RESP2, just enough for probes: encodes commands and decodes replies incrementally.
 *
 * <p>Decoded values are {@link String} (simple or bulk string), {@link Long} (integer), {@link Error}
 * (error reply), {@link List} (array, possibly nested) or {@link #NULL} (null bulk string or array).
 * Sizes are bounded so a peer that is not Redis cannot make the agent buffer without limit.
 */
public final class Resp {
    /** The null bulk string / null array. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "(nil)";
        }
    };

    static final int MAX_LINE = 64 * 1024;
    static final int MAX_BULK = 4 * 1024 * 1024;
    static final int MAX_ELEMENTS = 100_000;
    private static final Object INCOMPLETE = new Object();

    /** An error reply such as {@code -LOADING Redis is loading the dataset in memory}. */
    public record Error(String message) {
        /** The first word: LOADING, NOAUTH, WRONGPASS, ERR... */
        public String code() {
            int sp = message.indexOf(' ');
            return sp < 0 ? message : message.substring(0, sp);
        }
    }

    /** The peer sent something that is not RESP. */
    public static final class ProtocolException extends RuntimeException {
        public ProtocolException(String message) {
            super(message);
        }
    }

    private Resp() {}

    /** A command as a RESP array of bulk strings. */
    public static Buffer command(String... args) {
        Buffer b = Buffer.buffer();
        b.appendString("*" + args.length + "\r\n");
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.appendString("$" + bytes.length + "\r\n").appendBytes(bytes).appendString("\r\n");
        }
        return b;
    }

    /** Incremental decoder: feed bytes as they arrive, take complete replies with {@link #next()}. */
    public static final class Decoder {
        private Buffer buf = Buffer.buffer();
        private int pos;

        public void feed(Buffer data) {
            if (pos > 0 && pos == buf.length()) {
                buf = Buffer.buffer();
                pos = 0;
            } else if (pos > 64 * 1024) {
                buf = buf.getBuffer(pos, buf.length());
                pos = 0;
            }
            buf.appendBuffer(data);
            if (buf.length() - pos > MAX_BULK + MAX_LINE) {
                throw new ProtocolException("reply larger than " + MAX_BULK + " bytes");
            }
        }

        /** The next complete reply, or {@code null} when more bytes are needed. */
        public Object next() {
            int[] at = {pos};
            Object v = parse(at, 0);
            if (v == INCOMPLETE) {
                return null;
            }
            pos = at[0];
            return v;
        }

        private Object parse(int[] at, int depth) {
            if (depth > 8) {
                throw new ProtocolException("arrays nested too deeply");
            }
            if (at[0] >= buf.length()) {
                return INCOMPLETE;
            }
            byte type = buf.getByte(at[0]);
            int lineStart = at[0] + 1;
            int eol = lineEnd(lineStart);
            if (eol < 0) {
                return INCOMPLETE;
            }
            String line = buf.getString(lineStart, eol, "UTF-8");
            int after = eol + 2;
            switch (type) {
                case '+':
                    at[0] = after;
                    return line;
                case '-':
                    at[0] = after;
                    return new Error(line);
                case ':':
                    at[0] = after;
                    return number(line);
                case '$': {
                    long len = number(line);
                    if (len < 0) {
                        at[0] = after;
                        return NULL;
                    }
                    if (len > MAX_BULK) {
                        throw new ProtocolException("bulk string of " + len + " bytes");
                    }
                    if (buf.length() < after + len + 2) {
                        return INCOMPLETE;
                    }
                    String s = buf.getString(after, (int) (after + len), "UTF-8");
                    at[0] = (int) (after + len + 2);
                    return s;
                }
                case '*': {
                    long n = number(line);
                    if (n < 0) {
                        at[0] = after;
                        return NULL;
                    }
                    if (n > MAX_ELEMENTS) {
                        throw new ProtocolException("array of " + n + " elements");
                    }
                    List<Object> list = new ArrayList<>((int) Math.min(n, 64));
                    int[] inner = {after};
                    for (long i = 0; i < n; i++) {
                        Object e = parse(inner, depth + 1);
                        if (e == INCOMPLETE) {
                            return INCOMPLETE;
                        }
                        list.add(e);
                    }
                    at[0] = inner[0];
                    return list;
                }
                default:
                    throw new ProtocolException("not a RESP reply (first byte 0x" + Integer.toHexString(type & 0xff) + ")");
            }
        }

        private int lineEnd(int from) {
            int limit = Math.min(buf.length() - 1, from + MAX_LINE);
            for (int i = from; i < limit; i++) {
                if (buf.getByte(i) == '\r' && buf.getByte(i + 1) == '\n') {
                    return i;
                }
            }
            if (buf.length() - from > MAX_LINE) {
                throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
            }
            return -1;
        }

        private static long number(String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad number in reply");
            }
        }
    }
}
