package io.rvi.common.config;

/** A host and port, as written {@code host:port} in config files. */
public record HostPort(String host, int port) {
    public static HostPort parseOrNull(String text) {
        int i = text.lastIndexOf(':');
        if (i <= 0 || i == text.length() - 1) {
            return null;
        }
        String host = text.substring(0, i);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(i + 1));
            return port < 1 || port > 65535 ? null : new HostPort(host, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
