package io.rvi.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rvi.agent.config.AgentConfig;
import io.rvi.common.ExitCode;
import io.rvi.common.StartupException;
import java.net.BindException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ListenFailureTest {
    private static final AgentConfig.Http PLAIN = new AgentConfig.Http("127.0.0.1", 9650, 65536, null, null, null);
    private static final AgentConfig.Http TLS = new AgentConfig.Http("::1", 9650, 65536, null, Path.of("/etc/rvi/a.crt"), Path.of("/etc/rvi/a.key"));

    @Test
    void addressInUseIsPortInUseEvenWhenWrapped() {
        BindException cause = new BindException("Address already in use");
        StartupException e = ListenFailure.of(PLAIN, new RuntimeException("listen failed", cause));
        assertEquals(ExitCode.PORT_IN_USE, e.exitCode());
        assertEquals("http: cannot listen on 127.0.0.1:9650: the port is already in use (http.port 9650); "
                + "stop the other program or choose another port", e.getMessage());
        assertSame(cause, e.getCause().getCause());
    }

    @Test
    void anAddressThatIsNotOnThisHostIsAConfigError() {
        StartupException e = ListenFailure.of(TLS, new BindException("Cannot assign requested address"));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertEquals("http: cannot listen on [::1]:9650: Cannot assign requested address; http.bind must be an address of this host (or 0.0.0.0)",
                e.getMessage());
    }

    @Test
    void anyOtherFailureWithTlsPointsAtTheTlsFiles() {
        StartupException e = ListenFailure.of(TLS, new IllegalStateException("wrapper", new RuntimeException("Missing -----BEGIN PRIVATE KEY")));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertEquals("http: cannot listen on [::1]:9650 with TLS: RuntimeException: Missing -----BEGIN PRIVATE KEY; "
                + "check http.tls.cert_file (/etc/rvi/a.crt) and http.tls.key_file (/etc/rvi/a.key): "
                + "PEM certificate chain and PEM (PKCS#8 or PKCS#1) private key", e.getMessage());
    }

    @Test
    void anyOtherFailureWithoutTlsIsInternal() {
        StartupException e = ListenFailure.of(PLAIN, new IllegalStateException("event loop gone"));
        assertEquals(ExitCode.INTERNAL, e.exitCode());
        assertEquals("http: cannot listen on 127.0.0.1:9650: IllegalStateException: event loop gone", e.getMessage());
    }

    @Test
    void actionPathsAreMountedUnderActionsOnce() {
        assertEquals("/actions/reload", AgentRoutes.actionPath("/reload"));
        assertEquals("/actions/reload", AgentRoutes.actionPath("/actions/reload"));
        assertEquals("/actions/actionsx", AgentRoutes.actionPath("/actionsx"));
        assertThrows(IllegalArgumentException.class, () -> AgentRoutes.actionPath("reload"));
    }
}
