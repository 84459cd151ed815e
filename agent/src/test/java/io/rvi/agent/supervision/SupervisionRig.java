package io.rvi.agent.supervision;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rvi.agent.config.AgentConfig;
import io.rvi.agent.core.ActionRunner;
import io.rvi.agent.core.StateHolder;
import io.rvi.agent.redis.RedisProbe;
import io.rvi.common.Clock;
import io.rvi.common.Json;
import io.rvi.common.config.HostPort;
import io.rvi.common.protocol.ServiceState;
import io.rvi.testkit.Await;
import io.rvi.testkit.Procs;
import io.rvi.testkit.RedisBinaries;
import io.rvi.testkit.RedisHarness;
import io.rvi.testkit.TempDirs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Vert.x, one process worker pool and one temp dir for a supervision integration test, and
 * "agent instances" (a Supervision with its own state, events and metrics) sharing the state dir, as
 * successive agent runs would. {@link #close()} shuts everything down and kills every process the test
 * may have left, even after a failure. Tests extend {@link SupervisionITBase} to get one per test.
 */
final class SupervisionRig implements AutoCloseable {
    private static final AtomicBoolean WARM = new AtomicBoolean();
    final Vertx vertx = Vertx.vertx();
    final WorkerExecutor workers = vertx.createSharedWorkerExecutor("rvi-process-test", 4);
    final Path root;
    final AgentConfig.Agent agent;
    private final List<Instance> instances = new ArrayList<>();
    private final List<long[]> pids = new ArrayList<>();
    private final List<AgentConfig.Service> services = new ArrayList<>();
    private RedisHarness harness;

    SupervisionRig() {
        RedisBinaries.assumeAvailable();
        root = TempDirs.create("sup");
        agent = Fixtures.agent(root);
        warmUp();
    }

    /**
     * Once per JVM, one probe of a throwaway local socket: a cold JVM's first Redis connection (class
     * loading, JIT) can take longer than the fixtures' 500 ms probe timeout, which would make the first
     * probe of whichever test runs first look like a silent server.
     */
    private void warmUp() {
        if (!WARM.compareAndSet(false, true)) {
            return;
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write("-ERR warm-up\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the probe reports it
                }
            }, "probe-warm-up");
            t.setDaemon(true);
            t.start();
            RedisProbe probe = new RedisProbe(vertx, new HostPort("127.0.0.1", server.getLocalPort()), null);
            Promise<Void> done = Promise.promise();
            vertx.runOnContext(v -> probe.probe(Duration.ofSeconds(10)).onComplete(ar -> {
                probe.close();
                done.complete();
            }));
            await(done.future());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A fresh "agent run": its own StateHolder, events, Prometheus registry, ActionRunner and Supervision. */
    Instance instance(AgentConfig.Supervision policy) {
        Instance i = new Instance(policy);
        instances.add(i);
        return i;
    }

    /** A directory under the rig's temp dir. */
    Path dir(String name) {
        try {
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Redis processes the agent did not start (made on first use, closed last by {@link #close()}). */
    RedisHarness harness() {
        if (harness == null) {
            harness = new RedisHarness();
        }
        return harness;
    }

    /** Remembers a service so its processes are killed on close. */
    AgentConfig.Service track(AgentConfig.Service s) {
        services.add(s);
        return s;
    }

    void trackPid(long pid) {
        pids.add(new long[] {pid});
    }

    static <T> T await(Future<T> f) {
        try {
            return f.await(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("future not complete within 30 s", e);
        }
    }

    @Override
    public void close() {
        for (Instance i : instances) {
            try {
                i.supervision.shutdown().await(10, TimeUnit.SECONDS);
            } catch (Exception | AssertionError e) {
                System.err.println("rig: shutdown: " + e);
            }
            for (ServiceState s : i.state.current().services()) {
                if (s.pid() > 0 && !"systemd".equals(s.mode()) && !"foreign".equals(s.process())) {
                    ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        killFromPidfiles(SpawnCommand.runDir(agent));
        for (long[] p : pids) {
            ProcessHandle.of(p[0]).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (AgentConfig.Service s : services) {
            Procs.killRedisOn(s.address().host(), s.address().port());
        }
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("rig: vertx close: " + e);
        }
        TempDirs.delete(root);
        if (harness != null) {
            harness.close();
        }
    }

    private static void killFromPidfiles(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                try {
                    PidRecord r = Json.read(Files.readAllBytes(f), PidRecord.class);
                    ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
                } catch (IOException | RuntimeException e) {
                    System.err.println("rig: pidfile " + f + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            System.err.println("rig: " + e.getMessage());
        }
    }

    /** One agent run. */
    final class Instance {
        final StateHolder state = new StateHolder("agent-test", "test", "127.0.0.1", "test", Clock.SYSTEM);
        final RecordingEvents events = new RecordingEvents();
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final ActionRunner actions = new ActionRunner(vertx, registry, events, Clock.SYSTEM, new SplittableRandom(1));
        final Supervision supervision;

        Instance(AgentConfig.Supervision policy) {
            supervision = new Supervision(vertx, agent, policy, state, events, actions, registry, workers, Clock.SYSTEM);
        }

        void start(AgentConfig.Service... list) {
            Map<String, AgentConfig.Service> m = new java.util.LinkedHashMap<>();
            for (AgentConfig.Service s : list) {
                m.put(s.name(), track(s));
            }
            await(supervision.start(m));
        }

        ServiceState service(String name) {
            return state.service(name);
        }

        /** Waits until the service's state satisfies {@code condition}; returns that state. */
        ServiceState awaitState(String name, String what, Predicate<ServiceState> condition, Duration limit) {
            Await.until(name + ": " + what, limit, () -> {
                ServiceState s = service(name);
                return s != null && condition.test(s);
            }, () -> service(name) + "\nevents:" + events);
            return service(name);
        }

        ServiceState awaitRunningHealthy(String name, Duration limit) {
            return awaitState(name, "running and healthy", s -> "running".equals(s.process()) && "healthy".equals(s.health())
                    && s.pid() > 0, limit);
        }

        /** A value from the Prometheus scrape, e.g. {@code metric("rvi_process_restarts_total", "redis")}; NaN when absent. */
        double metric(String name, String service) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{service=\"" + Pattern.quote(service) + "\"} (\\S+)$")
                    .matcher(registry.scrape());
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }

        String scrape() {
            return registry.scrape();
        }
    }
}
