package io.rvi.agent.metrics;

import java.nio.file.Path;
import java.util.List;

/** Reads the host's figures. Slow and blocking: called only on a worker thread, one call at a time. */
public interface HostSampler {
    HostSample sample(List<Path> diskPaths);
}
