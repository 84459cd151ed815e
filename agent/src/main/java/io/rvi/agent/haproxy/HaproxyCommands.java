package io.rvi.agent.haproxy;

import java.util.regex.Pattern;

/**
 * Builds runtime API commands. Backend and server names are checked so that no name can smuggle a
 * second command (';', newline, spaces) into the one sent.
 */
public final class HaproxyCommands {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** What {@code set server BE/SRV state} accepts. */
    public enum AdminState {
        READY, MAINT, DRAIN;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private HaproxyCommands() {}

    public static String setState(String backend, String server, AdminState state) {
        return "set server " + target(backend, server) + " state " + state.word();
    }

    public static String setHealth(String backend, String server, boolean up) {
        return "set server " + target(backend, server) + " health " + (up ? "up" : "down");
    }

    public static String shutdownSessions(String backend, String server) {
        return "shutdown sessions server " + target(backend, server);
    }

    public static String showServersState(String backend) {
        return "show servers state " + name(backend, "backend");
    }

    private static String target(String backend, String server) {
        return name(backend, "backend") + "/" + name(server, "server");
    }

    static String name(String value, String what) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("not a valid HAProxy " + what + " name: '" + value
                    + "' (expected 1-128 letters, digits, '.', '_', ':' or '-')");
        }
        return value;
    }
}
