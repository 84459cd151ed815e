package io.rvi.common.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** A secret value read from a file. Its {@code toString()} never shows the value. */
public final class Secret {
    private final String value;
    private final String source;

    public Secret(String value, String source) {
        this.value = value;
        this.source = source;
    }

    public String reveal() {
        return value;
    }

    /** Where it came from (a file path), safe to log. */
    public String source() {
        return source;
    }

    /** Constant-time comparison, for bearer tokens. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "<secret from " + source + ">";
    }
}
