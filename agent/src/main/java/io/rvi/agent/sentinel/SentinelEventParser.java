package io.rvi.agent.sentinel;

import io.rvi.common.config.HostPort;
import java.util.Arrays;

/**
 * Turns a Sentinel's pub/sub message (channel and payload) into a {@link SentinelEvent}. Plain and
 * stateless; never throws: a payload that does not have its type's form is returned as malformed, with
 * the reason.
 */
public final class SentinelEventParser {
    /** A parse outcome: {@code event} when it parsed, else {@code problem}; {@code type} in both cases. */
    public record Parsed(SentinelEventType type, SentinelEvent event, String problem) {
        public boolean ok() {
            return event != null;
        }
    }

    public Parsed parse(HostPort source, long receivedAt, String channel, String payload) {
        SentinelEventType type = SentinelEventType.of(channel);
        String text = payload == null ? "" : payload;
        try {
            return switch (type.form()) {
                case INSTANCE -> instance(source, receivedAt, channel, type, text, false);
                case SWITCH -> switchMaster(source, receivedAt, channel, type, text);
                case EPOCH -> epoch(source, receivedAt, channel, type, text);
                case VOTE -> vote(source, receivedAt, channel, type, text);
                case TEXT -> ok(type, new SentinelEvent(source, receivedAt, channel, type, null, null, null, null, null, null, null,
                        text, text));
                case LOOSE -> instance(source, receivedAt, channel, type, text, true);
            };
        } catch (RuntimeException e) { // defensive: a parser bug must not take the subscription down
            return new Parsed(type, null, "unparseable: " + e);
        }
    }

    private static Parsed instance(HostPort source, long at, String channel, SentinelEventType type, String text, boolean loose) {
        String[] t = words(text);
        String problem = null;
        if (t.length < 4 || !("master".equals(t[0]) || "slave".equals(t[0]) || "sentinel".equals(t[0]))) {
            problem = "expected '<master|slave|sentinel> <name> <ip> <port> ...'";
        }
        HostPort address = problem == null ? address(t[2], t[3]) : null;
        if (problem == null && address == null) {
            problem = "bad instance address '" + t[2] + " " + t[3] + "'";
        }
        String masterName = null;
        HostPort masterAddress = null;
        int rest = 4;
        if (problem == null && "master".equals(t[0])) {
            masterName = t[1];
            masterAddress = address;
        } else if (problem == null) {
            if (t.length < 8 || !"@".equals(t[4])) {
                problem = "expected '@ <master-name> <master-ip> <master-port>' after a " + t[0];
            } else {
                masterName = t[5];
                masterAddress = address(t[6], t[7]);
                rest = 8;
                if (masterAddress == null) {
                    problem = "bad master address '" + t[6] + " " + t[7] + "'";
                }
            }
        }
        if (problem != null) {
            return loose ? ok(type, new SentinelEvent(source, at, channel, type, null, null, null, null, null, null, null, text, text))
                    : new Parsed(type, null, problem);
        }
        String detail = t.length > rest ? String.join(" ", Arrays.copyOfRange(t, rest, t.length)) : null;
        return ok(type, new SentinelEvent(source, at, channel, type, t[0], t[1], address, masterName, masterAddress, null, null,
                detail, text));
    }

    private static Parsed switchMaster(HostPort source, long at, String channel, SentinelEventType type, String text) {
        String[] t = words(text);
        if (t.length != 5) {
            return new Parsed(type, null, "expected '<master-name> <old-ip> <old-port> <new-ip> <new-port>'");
        }
        HostPort from = address(t[1], t[2]);
        HostPort to = address(t[3], t[4]);
        if (from == null || to == null) {
            return new Parsed(type, null, "bad address in '" + text + "'");
        }
        return ok(type, new SentinelEvent(source, at, channel, type, "master", t[0], from, t[0], from, to, null, null, text));
    }

    private static Parsed epoch(HostPort source, long at, String channel, SentinelEventType type, String text) {
        String[] t = words(text);
        Long epoch = t.length == 1 ? number(t[0]) : null;
        if (epoch == null) {
            return new Parsed(type, null, "expected '<epoch>'");
        }
        return ok(type, new SentinelEvent(source, at, channel, type, null, null, null, null, null, null, epoch, null, text));
    }

    private static Parsed vote(HostPort source, long at, String channel, SentinelEventType type, String text) {
        String[] t = words(text);
        Long epoch = t.length == 2 ? number(t[1]) : null;
        if (epoch == null) {
            return new Parsed(type, null, "expected '<leader-run-id> <epoch>'");
        }
        return ok(type, new SentinelEvent(source, at, channel, type, "sentinel", t[0], null, null, null, null, epoch, null, text));
    }

    private static Parsed ok(SentinelEventType type, SentinelEvent e) {
        return new Parsed(type, e, null);
    }

    private static String[] words(String text) {
        String s = text.strip();
        return s.isEmpty() ? new String[0] : s.split(" +");
    }

    private static HostPort address(String ip, String port) {
        Long p = number(port);
        return ip.isEmpty() || p == null || p < 1 || p > 65535 ? null : new HostPort(ip, p.intValue());
    }

    private static Long number(String s) {
        if (s.isEmpty() || s.length() > 19) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
