package io.rvi.agent.metrics;

import java.util.List;

/**
 * One reading of the host: what {@link HostSampler} returns and {@link HostMeters} publishes. A
 * value that could not be read is {@link Double#NaN}.
 *
 * @param cpuUsage        share of CPU time not idle since the previous sample, 0..1 (NaN on the first)
 * @param load1           1-minute load average (NaN where the OS has none)
 * @param memoryTotal     physical memory, bytes
 * @param memoryAvailable memory available to new programs without swapping, bytes
 * @param disks           one entry per configured data directory that exists
 * @param diskIo          cumulative I/O per block device
 * @param network         cumulative traffic per network interface (loopback excluded)
 */
public record HostSample(double cpuUsage, double load1, double load5, double load15,
                         double memoryTotal, double memoryAvailable, double swapTotal, double swapUsed,
                         List<Disk> disks, List<DiskIo> diskIo, List<NetIo> network) {

    public HostSample {
        disks = List.copyOf(disks);
        diskIo = List.copyOf(diskIo);
        network = List.copyOf(network);
    }

    /**
     * Space of the filesystem holding a configured directory, as {@code df} shows it.
     *
     * @param path  the directory as configured
     * @param mount the mount point of its filesystem
     * @param total size of the filesystem, bytes
     * @param free  bytes an unprivileged process can still write (df's "Avail")
     * @param used  bytes in use (df's "Used": total minus all free blocks)
     */
    public record Disk(String path, String mount, double total, double free, double used) {}

    /** Cumulative I/O of one block device since boot. */
    public record DiskIo(String device, double readBytes, double writtenBytes, double reads, double writes) {}

    /** Cumulative traffic of one network interface since it came up. */
    public record NetIo(String iface, double receivedBytes, double sentBytes) {}
}
