package io.rvi.agent.metrics;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.VirtualMemory;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/**
 * Reads host figures with OSHI. Built on the worker thread at the first sample (OSHI's start-up
 * loads JNA and reads /proc and udev, which takes a while). Not thread-safe: one sample at a time.
 */
public final class OshiHostSampler implements HostSampler {
    private static final Logger LOG = LoggerFactory.getLogger(OshiHostSampler.class);

    private final CentralProcessor cpu;
    private final GlobalMemory memory;
    private final HardwareAbstractionLayer hal;
    private final FileSystem fileSystem;
    private final Set<Path> missingReported = new HashSet<>();
    private long[] previousTicks;

    public OshiHostSampler() {
        SystemInfo si = new SystemInfo();
        this.hal = si.getHardware();
        this.cpu = hal.getProcessor();
        this.memory = hal.getMemory();
        this.fileSystem = si.getOperatingSystem().getFileSystem();
        this.previousTicks = cpu.getSystemCpuLoadTicks();
    }

    @Override
    public HostSample sample(List<Path> diskPaths) {
        long[] ticks = cpu.getSystemCpuLoadTicks();
        double usage = cpu.getSystemCpuLoadBetweenTicks(previousTicks);
        previousTicks = ticks;
        double[] load = cpu.getSystemLoadAverage(3);
        VirtualMemory vm = memory.getVirtualMemory();
        return new HostSample(usage >= 0 && usage <= 1 ? usage : Double.NaN,
                loadOrNaN(load, 0), loadOrNaN(load, 1), loadOrNaN(load, 2),
                memory.getTotal(), memory.getAvailable(), vm.getSwapTotal(), vm.getSwapUsed(),
                disks(diskPaths), diskIo(), network());
    }

    private List<HostSample.Disk> disks(List<Path> paths) {
        if (paths.isEmpty()) {
            return List.of();
        }
        List<OSFileStore> stores = fileSystem.getFileStores(true);
        List<HostSample.Disk> out = new ArrayList<>();
        for (Path p : paths) {
            Path real;
            try {
                real = p.toRealPath();
            } catch (IOException e) {
                if (missingReported.add(p)) {
                    LOG.warn("metrics.disk_paths: {} cannot be read ({}); its disk space is not reported", p, e.getClass().getSimpleName());
                }
                continue;
            }
            missingReported.remove(p);
            HostSample.Disk d = fromOshi(p, real, stores);
            if (d == null) {
                d = fromJava(p, real);
            }
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    /** The local filesystem whose mount point is the longest prefix of {@code real}. */
    private static HostSample.Disk fromOshi(Path configured, Path real, List<OSFileStore> stores) {
        OSFileStore best = null;
        int bestLen = -1;
        for (OSFileStore s : stores) {
            String mount = s.getMount();
            if (mount != null && !mount.isEmpty() && real.startsWith(Path.of(mount)) && mount.length() > bestLen) {
                best = s;
                bestLen = mount.length();
            }
        }
        if (best == null || best.getTotalSpace() <= 0) {
            return null;
        }
        long total = best.getTotalSpace();
        return new HostSample.Disk(configured.toString(), best.getMount(), total, best.getUsableSpace(), total - best.getFreeSpace());
    }

    /** For a filesystem OSHI does not list as local (network mounts and the like). */
    private static HostSample.Disk fromJava(Path configured, Path real) {
        try {
            FileStore fs = Files.getFileStore(real);
            long total = fs.getTotalSpace();
            return new HostSample.Disk(configured.toString(), "unknown", total, fs.getUsableSpace(), total - fs.getUnallocatedSpace());
        } catch (IOException e) {
            return null;
        }
    }

    private List<HostSample.DiskIo> diskIo() {
        List<HostSample.DiskIo> out = new ArrayList<>();
        for (HWDiskStore d : hal.getDiskStores()) {
            String name = deviceName(d.getName());
            if (name.startsWith("loop") || name.startsWith("ram") || name.startsWith("zram")) {
                continue;
            }
            out.add(new HostSample.DiskIo(name, d.getReadBytes(), d.getWriteBytes(), d.getReads(), d.getWrites()));
        }
        return out;
    }

    private List<HostSample.NetIo> network() {
        List<HostSample.NetIo> out = new ArrayList<>();
        for (NetworkIF n : hal.getNetworkIFs(false)) {
            out.add(new HostSample.NetIo(n.getName(), n.getBytesRecv(), n.getBytesSent()));
        }
        return out;
    }

    static String deviceName(String oshiName) {
        return oshiName.startsWith("/dev/") ? oshiName.substring(5) : oshiName;
    }

    private static double loadOrNaN(double[] load, int i) {
        return load.length > i && load[i] >= 0 ? load[i] : Double.NaN;
    }
}
