package io.rvi.agent.http;

import static io.rvi.agent.http.AgentHttpServerIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.StateHolder;
import io.rvi.agent.metrics.AgentMetrics;
import io.rvi.common.Clock;
import io.rvi.common.ExitCode;
import io.rvi.common.StartupException;
import io.rvi.common.config.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's HTTP server with TLS from PEM files (a self-signed certificate made by keytool). */
class AgentHttpServerTlsIT {
    private final Vertx vertx = Vertx.vertx();
    private final AgentMetrics metrics = new AgentMetrics();
    private final StateHolder state = new StateHolder("agent-1", "main", "127.0.0.1", "test", Clock.SYSTEM);
    private AgentHttpServer server;
    private SelfSignedCert cert;

    @TempDir
    Path dir;

    private AgentConfig.Http tls(int port, SelfSignedCert c) {
        return new AgentConfig.Http("127.0.0.1", port, 65536, new Secret("tls-token-42", "test"), c.certFile(), c.keyFile());
    }

    @BeforeEach
    void start() throws Exception {
        cert = SelfSignedCert.create(dir, "agent");
        server = new AgentHttpServer(vertx, tls(0, cert), state, metrics.registry(), () -> true);
        server.action(HttpMethod.POST, "/ping", ctx -> ctx.response().end("pong"));
        await(server.start());
    }

    @AfterEach
    void stop() throws Exception {
        await(server.stop());
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        metrics.close();
    }

    private String https() {
        return "https://127.0.0.1:" + server.port();
    }

    @Test
    void routesAnswerOverTlsWithTheConfiguredCertificate() throws Exception {
        Http client = new Http(https(), SelfSignedCert.trusting(cert.certificate()));
        HttpResponse<String> r = client.get("/health/live");
        assertEquals(200, r.statusCode());
        assertEquals(cert.certificate(), r.sslSession().orElseThrow().getPeerCertificates()[0]);
        assertEquals(200, client.get("/metrics").statusCode());
        assertEquals("pong", client.post("/actions/ping", "", "tls-token-42").body());
        assertEquals(401, client.post("/actions/ping", "", "wrong").statusCode());
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
        SelfSignedCert other = SelfSignedCert.create(dir, "other");
        Http client = new Http(https(), SelfSignedCert.trusting(other.certificate()));
        assertThrows(SSLHandshakeException.class, () -> client.get("/health/live"));
    }

    @Test
    void plainHttpOnTheTlsPortGetsNoAnswer() {
        Http plain = new Http("http://127.0.0.1:" + server.port());
        assertThrows(IOException.class, () -> plain.get("/health/live"));
    }

    @Test
    void reconfigureReloadsARenewedCertificateWithoutRebinding() throws Exception {
        int port = server.port();
        SelfSignedCert renewed = SelfSignedCert.create(dir, "renewed");
        renewed.copyTo(cert);
        await(server.reconfigure(tls(0, cert)));
        assertEquals(port, server.port());

        Http client = new Http(https(), SelfSignedCert.trusting(cert.certificate(), renewed.certificate()));
        X509Certificate served = (X509Certificate) client.get("/health/live").sslSession().orElseThrow().getPeerCertificates()[0];
        assertEquals(renewed.certificate(), served);
    }

    @Test
    void turningTlsOffRebindsAsPlainHttp() throws Exception {
        await(server.reconfigure(new AgentConfig.Http("127.0.0.1", 0, 65536, null, null, null)));
        assertEquals(200, new Http("http://127.0.0.1:" + server.port()).get("/health/live").statusCode());
    }

    @Test
    void aMissingKeyFileIsAConfigStartupError() throws Exception {
        Path missing = dir.resolve("missing.key");
        AgentHttpServer s = new AgentHttpServer(vertx, new AgentConfig.Http("127.0.0.1", 0, 65536, null, cert.certFile(), missing),
                state, metrics.registry(), () -> true);
        StartupException e = assertThrows(StartupException.class, () -> await(s.start()));
        assertEquals(ExitCode.CONFIG, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().startsWith("http: cannot listen on 127.0.0.1:0 with TLS: "), e.getMessage());
        assertTrue(e.getMessage().contains("http.tls.key_file (" + missing + ")"), e.getMessage());
    }

    @Test
    void aKeyFileThatIsNotPemIsAConfigStartupError() throws Exception {
        Path garbage = dir.resolve("garbage.key");
        Files.writeString(garbage, "not a key\n");
        AgentHttpServer s = new AgentHttpServer(vertx, new AgentConfig.Http("127.0.0.1", 0, 65536, null, cert.certFile(), garbage),
                state, metrics.registry(), () -> true);
        StartupException e = assertThrows(StartupException.class, () -> await(s.start()));
        assertEquals(ExitCode.CONFIG, e.exitCode(), e.getMessage());
    }
}
