package io.rvi.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The {@code rvi_host_*} meters. They read the last published {@link HostSample}, so a scrape never
 * waits for the host to be read. Until the first sample every value is NaN.
 *
 * <p>Prometheus names: {@code rvi_host_cpu_usage_ratio}, {@code rvi_host_load1|5|15},
 * {@code rvi_host_memory_total_bytes}, {@code rvi_host_memory_available_bytes},
 * {@code rvi_host_swap_total_bytes}, {@code rvi_host_swap_used_bytes},
 * {@code rvi_host_disk_total|free|used_bytes{path,mount}},
 * {@code rvi_host_disk_read_bytes_total|written_bytes_total|reads_total|writes_total{device}},
 * {@code rvi_host_network_received_bytes_total|sent_bytes_total{interface}},
 * {@code rvi_host_sample_timestamp_seconds}, {@code rvi_host_sample_duration_seconds},
 * {@code rvi_host_sample_errors_total}.
 */
public final class HostMeters implements AutoCloseable {
    private static final HostSample EMPTY = new HostSample(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, List.of(), List.of(), List.of());

    private final MeterRegistry registry;
    private final AtomicReference<HostSample> current = new AtomicReference<>(EMPTY);
    private final List<Meter> fixed = new ArrayList<>();
    private final MeterFamily<HostSample.Disk> disks;
    private final MeterFamily<HostSample.DiskIo> diskIo;
    private final MeterFamily<HostSample.NetIo> network;
    private final Counter errors;
    private volatile double sampledAtSeconds = Double.NaN;
    private volatile double sampleSeconds = Double.NaN;

    public HostMeters(MeterRegistry registry) {
        this.registry = registry;
        hostGauge("rvi.host.cpu.usage", "ratio", "Share of CPU time not idle between the last two samples", HostSample::cpuUsage);
        hostGauge("rvi.host.load1", null, "1-minute load average", HostSample::load1);
        hostGauge("rvi.host.load5", null, "5-minute load average", HostSample::load5);
        hostGauge("rvi.host.load15", null, "15-minute load average", HostSample::load15);
        hostGauge("rvi.host.memory.total", "bytes", "Physical memory", HostSample::memoryTotal);
        hostGauge("rvi.host.memory.available", "bytes", "Memory available without swapping", HostSample::memoryAvailable);
        hostGauge("rvi.host.swap.total", "bytes", "Swap space", HostSample::swapTotal);
        hostGauge("rvi.host.swap.used", "bytes", "Swap space in use", HostSample::swapUsed);
        fixed.add(Gauge.builder("rvi.host.sample.timestamp", this, m -> m.sampledAtSeconds).baseUnit("seconds")
                .description("When the host was last read, epoch seconds").strongReference(true).register(registry));
        fixed.add(Gauge.builder("rvi.host.sample.duration", this, m -> m.sampleSeconds).baseUnit("seconds")
                .description("How long the last reading of the host took").strongReference(true).register(registry));
        this.errors = Counter.builder("rvi.host.sample.errors").description("Readings of the host that failed").register(registry);
        fixed.add(errors);

        this.disks = new MeterFamily<>(registry, d -> d.path() + "\u0000" + d.mount(), (d, h) -> List.of(
                labelled(Gauge.builder("rvi.host.disk.total", h, r -> r.get().total()), "Size of the filesystem holding a data directory", d),
                labelled(Gauge.builder("rvi.host.disk.free", h, r -> r.get().free()), "Bytes still writable by unprivileged processes", d),
                labelled(Gauge.builder("rvi.host.disk.used", h, r -> r.get().used()), "Bytes in use on the filesystem", d)));
        this.diskIo = new MeterFamily<>(registry, HostSample.DiskIo::device, (d, h) -> List.of(
                deviceCounter("rvi.host.disk.read", "bytes", "Bytes read from the block device", d.device(), h, HostSample.DiskIo::readBytes),
                deviceCounter("rvi.host.disk.written", "bytes", "Bytes written to the block device", d.device(), h, HostSample.DiskIo::writtenBytes),
                deviceCounter("rvi.host.disk.reads", null, "Read operations completed", d.device(), h, HostSample.DiskIo::reads),
                deviceCounter("rvi.host.disk.writes", null, "Write operations completed", d.device(), h, HostSample.DiskIo::writes)));
        this.network = new MeterFamily<>(registry, HostSample.NetIo::iface, (n, h) -> List.of(
                ifaceCounter("rvi.host.network.received", "Bytes received", n.iface(), h, HostSample.NetIo::receivedBytes),
                ifaceCounter("rvi.host.network.sent", "Bytes sent", n.iface(), h, HostSample.NetIo::sentBytes)));
    }

    /** Makes {@code sample} what the meters show. {@code atMillis}: when it was taken; {@code tookNanos}: how long it took. */
    public synchronized void publish(HostSample sample, long atMillis, long tookNanos) {
        current.set(sample);
        disks.update(sample.disks());
        diskIo.update(sample.diskIo());
        network.update(sample.network());
        sampledAtSeconds = atMillis / 1000.0;
        sampleSeconds = tookNanos / 1e9;
    }

    /** Counts a reading that failed; the meters keep the last good values. */
    public void failed() {
        errors.increment();
    }

    public HostSample current() {
        return current.get();
    }

    /** Removes every host meter from the registry. */
    @Override
    public synchronized void close() {
        disks.clear();
        diskIo.clear();
        network.clear();
        fixed.forEach(registry::remove);
        fixed.clear();
    }

    private void hostGauge(String name, String unit, String description, ToDoubleFunction<HostSample> value) {
        fixed.add(Gauge.builder(name, current, r -> value.applyAsDouble(r.get())).baseUnit(unit).description(description)
                .strongReference(true).register(registry));
    }

    private Meter labelled(Gauge.Builder<?> b, String description, HostSample.Disk d) {
        return b.baseUnit("bytes").description(description).tag("path", d.path()).tag("mount", d.mount())
                .strongReference(true).register(registry);
    }

    private <T> Meter deviceCounter(String name, String unit, String description, String device, AtomicReference<T> h,
                                    ToDoubleFunction<T> value) {
        return FunctionCounter.builder(name, h, r -> value.applyAsDouble(r.get())).baseUnit(unit).description(description)
                .tag("device", device).register(registry);
    }

    private <T> Meter ifaceCounter(String name, String description, String iface, AtomicReference<T> h, ToDoubleFunction<T> value) {
        return FunctionCounter.builder(name, h, r -> value.applyAsDouble(r.get())).baseUnit("bytes").description(description)
                .tag("interface", iface).register(registry);
    }
}
