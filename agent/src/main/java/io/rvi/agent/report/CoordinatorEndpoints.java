package io.rvi.agent.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Which coordinator URL to talk to: the one that last worked, until it fails (connection refused,
 * timeout, 5xx); then the next one in the configured order, wrapping around. Not thread-safe: the
 * reporter uses it from its own context.
 */
final class CoordinatorEndpoints {
    private final List<String> urls;
    private int index;
    private int consecutiveFailures;

    CoordinatorEndpoints(List<String> urls) {
        List<String> clean = new ArrayList<>();
        for (String u : urls) {
            String n = normalize(u);
            if (!clean.contains(n)) {
                clean.add(n);
            }
        }
        this.urls = List.copyOf(clean);
    }

    static String normalize(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    boolean isEmpty() {
        return urls.isEmpty();
    }

    List<String> urls() {
        return urls;
    }

    /** The URL to use now, or null when none is configured (standalone). */
    String current() {
        return urls.isEmpty() ? null : urls.get(index);
    }

    /** A request to {@code url} worked: stay with it. */
    void succeeded(String url) {
        int i = urls.indexOf(url);
        if (i >= 0) {
            index = i;
        }
        consecutiveFailures = 0;
    }

    /**
     * A request to {@code url} failed for availability reasons. Moves on to the next URL if
     * {@code url} is still the current one (a late failure of an old URL changes nothing). Returns
     * whether the current URL changed.
     */
    boolean failed(String url) {
        consecutiveFailures++;
        if (urls.size() > 1 && url.equals(current())) {
            index = (index + 1) % urls.size();
            return true;
        }
        return false;
    }

    /** Failures since the last success, over all URLs. */
    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The same choice over a new list: keeps the current URL when it is still configured. */
    CoordinatorEndpoints withUrls(List<String> newUrls) {
        CoordinatorEndpoints next = new CoordinatorEndpoints(newUrls);
        String cur = current();
        int i = cur == null ? -1 : next.urls.indexOf(cur);
        if (i >= 0) {
            next.index = i;
        }
        return next;
    }
}
