package io.rvi.agent.sentinel;

import io.rvi.common.config.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Messages recorded from real Sentinels (src/test/resources/sentinel/, see README.txt there), merged by time. */
final class Recording {
    /** One message: when (ms since the recording started), from which Sentinel, on which channel. */
    record Line(long ms, HostPort source, String channel, String payload) {}

    static final List<HostPort> SENTINELS = List.of(new HostPort("127.0.0.1", 27111), new HostPort("127.0.0.2", 27112),
            new HostPort("127.0.0.3", 27113));

    private Recording() {}

    /** Every Sentinel's messages in {@code dir} (failover, failover-aborted), in time order (stable per Sentinel). */
    static List<Line> load(String dir) {
        List<Line> all = new ArrayList<>();
        for (HostPort s : SENTINELS) {
            String name = "/sentinel/" + dir + "/sentinel-" + s.host() + "-" + s.port() + ".tsv";
            try (InputStream in = Recording.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource " + name);
                }
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] f = line.split("\t", 3);
                    all.add(new Line(Long.parseLong(f[0]), s, f[1], f[2]));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        all.sort(Comparator.comparingLong(Line::ms));
        return all;
    }
}
