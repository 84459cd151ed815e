package io.rvi.e2e.drill;

import io.rvi.testkit.RespClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subscribed to {@code +switch-master} on every Sentinel: remembers, per new master address, when the
 * first Sentinel announced it (nanoTime). Independent of rvi, so drills measure from Sentinel's word.
 */
public final class SwitchWatch implements AutoCloseable {
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final List<RespClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    public SwitchWatch(List<String> sentinels) {
        for (String s : sentinels) {
            int i = s.lastIndexOf(':');
            Thread t = new Thread(() -> listen(s.substring(0, i), Integer.parseInt(s.substring(i + 1))), "switch-watch " + s);
            t.setDaemon(true);
            t.start();
        }
    }

    private void listen(String host, int port) {
        while (running) {
            try (RespClient c = new RespClient(host, port, 0)) {
                clients.add(c);
                c.call("SUBSCRIBE", "+switch-master");
                while (running) {
                    Object m = c.readReply();
                    if (m instanceof List<?> l && l.size() == 3 && "message".equals(String.valueOf(l.get(0)))) {
                        // <master-name> <old-ip> <old-port> <new-ip> <new-port>
                        String[] f = String.valueOf(l.get(2)).split(" ");
                        if (f.length == 5) {
                            firstSeen.putIfAbsent(f[3] + ":" + f[4], System.nanoTime());
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    sleep();
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** When +switch-master to {@code newMaster} (host:port) was first seen, or -1; forgets it. */
    public long takeSwitchTo(String newMaster) {
        Long t = firstSeen.remove(newMaster);
        return t == null ? -1 : t;
    }

    public boolean seenSwitchTo(String newMaster) {
        return firstSeen.containsKey(newMaster);
    }

    @Override
    public void close() {
        running = false;
        clients.forEach(RespClient::close);
    }
}
