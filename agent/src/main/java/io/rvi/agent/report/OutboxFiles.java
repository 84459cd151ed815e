package io.rvi.agent.report;

import io.rvi.common.Json;
import io.rvi.common.protocol.AgentEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox on disk. Every method blocks (call from a worker thread, or at startup/shutdown) and
 * is synchronized. In its directory:
 * <ul>
 *   <li>{@code incarnation}: a random UUID made once per state directory;</li>
 *   <li>{@code acked}: the seq up to which every event is done (acknowledged by the coordinator,
 *       or dropped because the outbox was full), written atomically;</li>
 *   <li>{@code seg-<first seq>.jsonl}: segments of events, one JSON line each, consecutive seqs
 *       within a segment, each append forced to disk.</li>
 * </ul>
 * Opening recovers: a torn last line (crash mid-write) is cut off, segments already done are
 * deleted, and numbering continues after the highest seq ever written.
 */
final class OutboxFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxFiles.class);
    static final String INCARNATION = "incarnation";
    static final String ACKED = "acked";
    private static final String PREFIX = "seg-";
    private static final String SUFFIX = ".jsonl";

    /** One JSON line ready to be written. */
    record Line(AgentEvent event, byte[] json) {}

    private static final class Segment {
        final long first;
        final Path path;
        long last;

        Segment(long first, long last, Path path) {
            this.first = first;
            this.last = last;
            this.path = path;
        }
    }

    private final Path dir;
    private final int segmentEvents;
    private final String incarnation;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private long done;
    private long lastSeq;
    private Segment active;
    private FileChannel activeChannel;
    /** The events of {@link #active}, kept in memory: the usual next read. */
    private final List<AgentEvent> activeEvents = new ArrayList<>();
    /** The last closed segment read (batches usually walk one segment several times). */
    private long cachedFirst = -1;
    private List<AgentEvent> cachedEvents;

    private OutboxFiles(Path dir, int segmentEvents, String incarnation, long done) {
        this.dir = dir;
        this.segmentEvents = segmentEvents;
        this.incarnation = incarnation;
        this.done = done;
        this.lastSeq = done;
    }

    /** Opens (creating if needed) the outbox in {@code dir}, recovering what a crash left. */
    static OutboxFiles open(Path dir, int segmentEvents) throws IOException {
        Files.createDirectories(dir);
        OutboxFiles f = new OutboxFiles(dir, segmentEvents, incarnation(dir), readAcked(dir));
        f.recover();
        return f;
    }

    synchronized String incarnation() {
        return incarnation;
    }

    /** Every seq up to this one is acknowledged or dropped. */
    synchronized long done() {
        return done;
    }

    /** The highest seq ever written (numbering continues after it). */
    synchronized long lastSeq() {
        return lastSeq;
    }

    /** Events written and not yet done. */
    synchronized long pending() {
        long n = 0;
        for (Segment s : segments.values()) {
            if (s.last > done) {
                n += s.last - Math.max(s.first, done + 1) + 1;
            }
        }
        return n;
    }

    /** Appends lines (seqs increasing, above {@link #lastSeq()}) and forces them to disk. */
    synchronized void append(List<Line> lines) throws IOException {
        int i = 0;
        while (i < lines.size()) {
            long seq = lines.get(i).event().seq();
            if (seq <= lastSeq) {
                throw new IllegalArgumentException("outbox: seq " + seq + " is not above the last written seq " + lastSeq);
            }
            if (active == null || active.last - active.first + 1 >= segmentEvents || seq != active.last + 1) {
                rotate(seq);
            }
            int room = (int) (segmentEvents - (active.last - active.first + 1));
            int end = i;
            int size = 0;
            while (end < lines.size() && end - i < room && lines.get(end).event().seq() == seq + (end - i)) {
                size += lines.get(end).json().length + 1;
                end++;
            }
            ByteBuffer buf = ByteBuffer.allocate(size);
            for (int j = i; j < end; j++) {
                buf.put(lines.get(j).json()).put((byte) '\n');
            }
            buf.flip();
            try {
                while (buf.hasRemaining()) {
                    activeChannel.write(buf);
                }
            } catch (IOException e) {
                abandonActive();
                throw e;
            }
            for (int j = i; j < end; j++) {
                activeEvents.add(lines.get(j).event());
            }
            active.last = seq + (end - i) - 1;
            lastSeq = active.last;
            i = end;
        }
        if (activeChannel != null) {
            try {
                activeChannel.force(false);
            } catch (IOException e) {
                abandonActive();
                throw e;
            }
        }
    }

    /**
     * After a failed write the active file may end with part of a line: stop appending to it (the
     * next append starts a new segment; recovery cuts the partial line).
     */
    private void abandonActive() {
        try {
            close();
        } catch (IOException ignored) {
            // already failing
        }
        active = null;
        activeEvents.clear();
    }

    /** Up to {@code max} events after {@link #done()}, in seq order. */
    synchronized List<AgentEvent> read(int max) throws IOException {
        List<AgentEvent> out = new ArrayList<>();
        Long key = segments.floorKey(done + 1);
        for (Segment s : (key == null ? segments : segments.tailMap(key, true)).values()) {
            if (out.size() >= max) {
                break;
            }
            if (s.last <= done) {
                continue;
            }
            List<AgentEvent> events = s == active ? activeEvents : closedSegment(s);
            for (AgentEvent e : events) {
                if (e.seq() > done && out.size() < max) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private List<AgentEvent> closedSegment(Segment s) throws IOException {
        if (cachedFirst != s.first || cachedEvents == null) {
            cachedEvents = readSegment(s.path, s.first, s.last).events;
            cachedFirst = s.first;
        }
        return cachedEvents;
    }

    /** Marks every event up to {@code seq} done (acknowledged) and deletes segments no longer needed. */
    synchronized void advanceTo(long seq) throws IOException {
        long target = Math.min(seq, lastSeq);
        if (target <= done) {
            return;
        }
        done = target;
        DurableFiles.writeAtomically(dir.resolve(ACKED), Long.toString(done));
        deleteDoneSegments();
    }

    /** Drops the {@code n} oldest pending events (the outbox is full); returns how many were dropped. */
    synchronized long dropOldest(long n) throws IOException {
        long left = n;
        long target = done;
        for (Segment s : segments.values()) {
            if (left <= 0) {
                break;
            }
            if (s.last <= target) {
                continue;
            }
            long from = Math.max(s.first, target + 1);
            long take = Math.min(left, s.last - from + 1);
            target = from + take - 1;
            left -= take;
        }
        long dropped = n - left;
        if (dropped > 0) {
            advanceTo(target);
        }
        return dropped;
    }

    @Override
    public synchronized void close() throws IOException {
        if (activeChannel != null) {
            activeChannel.close();
            activeChannel = null;
        }
    }

    // ---- recovery and files ------------------------------------------------------------

    private void recover() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            ds.forEach(files::add);
        }
        TreeMap<Long, Path> byFirst = new TreeMap<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            try {
                byFirst.put(Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length())), p);
            } catch (NumberFormatException e) {
                LOG.warn("outbox: ignoring {} (not a segment name)", p);
            }
        }
        long prevLast = 0;
        for (Map.Entry<Long, Path> e : byFirst.entrySet()) {
            long first = e.getKey();
            Path p = e.getValue();
            if (first <= prevLast) {
                LOG.warn("outbox: segment {} overlaps the previous one; deleting it", p);
                Files.delete(p);
                continue;
            }
            Recovered r = readSegment(p, first, Long.MAX_VALUE);
            if (r.validBytes < Files.size(p)) {
                LOG.warn("outbox: segment {} ends with an incomplete or unreadable record (crash while writing?); cut after seq {}",
                        p, r.events.isEmpty() ? first - 1 : r.events.get(r.events.size() - 1).seq());
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ch.truncate(r.validBytes);
                    ch.force(true);
                }
            }
            if (r.events.isEmpty()) {
                Files.delete(p);
                continue;
            }
            long last = r.events.get(r.events.size() - 1).seq();
            segments.put(first, new Segment(first, last, p));
            prevLast = last;
        }
        lastSeq = Math.max(done, prevLast);
        deleteDoneSegments();
    }

    private record Recovered(List<AgentEvent> events, long validBytes) {}

    /** Reads a segment's events with seq from {@code first} on, consecutive, stopping at anything else. */
    private static Recovered readSegment(Path p, long first, long last) throws IOException {
        byte[] all = Files.readAllBytes(p);
        List<AgentEvent> events = new ArrayList<>();
        int pos = 0;
        long expect = first;
        while (pos < all.length && expect <= last) {
            int nl = indexOf(all, (byte) '\n', pos);
            if (nl < 0) {
                break;
            }
            AgentEvent e;
            try {
                e = Json.read(java.util.Arrays.copyOfRange(all, pos, nl), AgentEvent.class);
            } catch (IllegalArgumentException ex) {
                break;
            }
            if (e == null || e.seq() != expect) {
                break;
            }
            events.add(e);
            expect++;
            pos = nl + 1;
        }
        return new Recovered(events, pos);
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void rotate(long firstSeq) throws IOException {
        if (activeChannel != null) {
            activeChannel.force(false);
            activeChannel.close();
        }
        Path p = dir.resolve(String.format("%s%020d%s", PREFIX, firstSeq, SUFFIX));
        activeChannel = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        DurableFiles.forceDir(dir);
        active = new Segment(firstSeq, firstSeq - 1, p);
        activeEvents.clear();
        segments.put(firstSeq, active);
    }

    private void deleteDoneSegments() throws IOException {
        var it = segments.values().iterator();
        while (it.hasNext()) {
            Segment s = it.next();
            if (s.last > done) {
                break;
            }
            if (s == active) {
                close();
                active = null;
                activeEvents.clear();
            }
            Files.deleteIfExists(s.path);
            it.remove();
            if (s.first == cachedFirst) {
                cachedEvents = null;
            }
        }
    }

    private static String incarnation(Path dir) throws IOException {
        Path f = dir.resolve(INCARNATION);
        if (Files.exists(f)) {
            String id = Files.readString(f, StandardCharsets.UTF_8).strip();
            if (id.matches("[A-Za-z0-9-]{1,64}")) {
                return id;
            }
            LOG.warn("outbox: {} is unreadable; starting a new incarnation", f);
        }
        String id = UUID.randomUUID().toString();
        DurableFiles.writeAtomically(f, id);
        return id;
    }

    private static long readAcked(Path dir) throws IOException {
        Path f = dir.resolve(ACKED);
        if (!Files.exists(f)) {
            return 0;
        }
        String text = Files.readString(f, StandardCharsets.UTF_8).strip();
        try {
            return Math.max(0, Long.parseLong(text));
        } catch (NumberFormatException e) {
            LOG.warn("outbox: {} is unreadable; events may be sent again (the coordinator ignores duplicates)", f);
            return 0;
        }
    }
}
