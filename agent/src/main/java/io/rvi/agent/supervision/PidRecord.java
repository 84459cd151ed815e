package io.rvi.agent.supervision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What the agent writes to {@code <stateDir>/run/<service>.pid} when it spawns a process, to recognise
 * it after an agent restart. The arguments are kept only as a hash: they may hold a password.
 *
 * @param pid         the process id
 * @param startedAt   the process start time, epoch millis, from {@code ProcessHandle.Info.startInstant()}
 * @param binary      the configured binary
 * @param executable  the binary with links resolved (what {@code /proc/PID/exe} shows)
 * @param address     host:port it was told to listen on
 * @param argsHash    SHA-256 of the configured arguments
 */
public record PidRecord(long pid, long startedAt, String binary, String executable, String address, String argsHash) {

    public static String hashArgs(List<String> args) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String a : args) {
                md.update(a.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
