package io.rvi.agent.hooks;

import io.rvi.common.config.HostPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line and environment of an exec hook: the configured argv followed by Sentinel's
 * client-reconfig-script arguments {@code <master-name> <role> <state> <from-ip> <from-port> <to-ip> <to-port>}
 * (so a script written for Sentinel works unchanged), plus {@code RVI_*} variables.
 */
public final class HookArgs {
    private HookArgs() {}

    public static List<String> argv(List<String> exec, HookEvent e) {
        List<String> out = new ArrayList<>(exec);
        out.add(e.masterName());
        out.add(e.role());
        out.add(e.state());
        addAddress(out, e.from());
        addAddress(out, e.to());
        return List.copyOf(out);
    }

    public static Map<String, String> env(HookEvent e) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RVI_HOOK_EVENT", e.kind());
        env.put("RVI_HOOK_ID", e.id());
        env.put("RVI_MASTER_NAME", e.masterName());
        if (e.to() != null) {
            env.put("RVI_NEW_MASTER", e.to().toString());
        }
        if (e.from() != null) {
            env.put("RVI_OLD_MASTER", e.from().toString());
        }
        return env;
    }

    private static void addAddress(List<String> out, HostPort hp) {
        out.add(hp == null ? "" : hp.host());
        out.add(hp == null ? "" : Integer.toString(hp.port()));
    }
}
