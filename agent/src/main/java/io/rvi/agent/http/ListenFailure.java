package io.rvi.agent.http;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.ExitCode;
import io.rvi.common.StartupException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/** Turns a failure to listen into a {@link StartupException} whose exit code says what to fix. */
final class ListenFailure {
    private ListenFailure() {}

    static StartupException of(AgentConfig.Http config, Throwable failure) {
        String where = "http: cannot listen on " + address(config);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String msg = t.getMessage() == null ? "" : t.getMessage();
            String lower = msg.toLowerCase(Locale.ROOT);
            if (lower.contains("address already in use")) {
                return new StartupException(ExitCode.PORT_IN_USE, where + ": the port is already in use (http.port "
                        + config.port() + "); stop the other program or choose another port", failure);
            }
            if (t instanceof BindException || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                    || lower.contains("cannot assign requested address")) {
                return new StartupException(ExitCode.CONFIG, where + ": " + (msg.isEmpty() ? t.getClass().getSimpleName() : msg)
                        + "; http.bind must be an address of this host (or 0.0.0.0)", failure);
            }
        }
        if (config.tls()) {
            return new StartupException(ExitCode.CONFIG, where + " with TLS: " + describe(failure)
                    + "; check http.tls.cert_file (" + config.tlsCertFile() + ") and http.tls.key_file (" + config.tlsKeyFile()
                    + "): PEM certificate chain and PEM (PKCS#8 or PKCS#1) private key", failure);
        }
        return new StartupException(ExitCode.INTERNAL, where + ": " + describe(failure), failure);
    }

    static String address(AgentConfig.Http config) {
        return (config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind()) + ":" + config.port();
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
