package io.rvi.agent.haproxy;

import io.rvi.agent.core.ActionSpec;

/**
 * HAProxy answered a command with an error ({@code No such server.}, {@code Permission denied}...).
 * The message ends with HAProxy's exact reply. Not retried: the same command gets the same answer.
 */
public final class HaproxyRefused extends ActionSpec.NotRetryable {
    private final String reply;

    public HaproxyRefused(String command, String reply) {
        super("haproxy refused '" + command + "': " + reply);
        this.reply = reply;
    }

    /** HAProxy's reply, trimmed. */
    public String reply() {
        return reply;
    }
}
