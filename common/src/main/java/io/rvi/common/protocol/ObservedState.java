package io.rvi.common.protocol;

import java.util.List;

/**
 * One immutable snapshot of what an agent sees: its services (processes, roles, health). Served as
 * {@code GET /status} and carried by every heartbeat.
 */
public record ObservedState(
        String agentId,
        String cluster,
        String host,
        String version,
        long startedAt,
        long observedAt,
        boolean ready,
        List<ServiceState> services) {

    public ObservedState withService(ServiceState s) {
        List<ServiceState> list = new java.util.ArrayList<>(services);
        boolean replaced = false;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(s.name())) {
                list.set(i, s);
                replaced = true;
            }
        }
        if (!replaced) {
            list.add(s);
        }
        return new ObservedState(agentId, cluster, host, version, startedAt, observedAt, ready, List.copyOf(list));
    }

    public ServiceState service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}
