package dev.quilt.zstor.daemon;

import dev.quilt.zstor.BackendStatus;
import dev.quilt.zstor.ObjectInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The payloads of the command line's replies, in the control socket's style: fields joined by NUL, records
 * by a newline (neither occurs in a key, a backend id or a number; newlines in an error are replaced).
 *
 * <pre>
 * info   = key NUL size NUL k NUL m NUL generation NUL sha256 NUL pending (indexes joined by ",")
 * status = (id NUL role NUL reachable NUL free NUL used NUL entries NUL error) joined by LF; -1 for unknown
 * </pre>
 */
final class ControlReplies {

    private ControlReplies() { }

    static String info(ObjectInfo info) {
        return String.join("\0", info.key(), Long.toString(info.size()), Integer.toString(info.dataShards()),
                Integer.toString(info.parityShards()), Long.toString(info.generation()), info.contentSha256(),
                info.pendingShards().stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));
    }

    static ObjectInfo info(String payload) throws IOException {
        String[] f = fields(payload, 7);
        try {
            Set<Integer> pending = f[6].isEmpty() ? Set.of()
                    : Arrays.stream(f[6].split(",")).map(Integer::valueOf).collect(Collectors.toSet());
            return new ObjectInfo(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Long.parseLong(f[4]), f[5], pending);
        } catch (NumberFormatException e) {
            throw malformed(payload);
        }
    }

    static String status(List<BackendStatus> backends) {
        List<String> lines = new ArrayList<>();
        for (BackendStatus b : backends) {
            lines.add(String.join("\0", b.id(), b.role().name(), Boolean.toString(b.reachable()),
                    Long.toString(b.freeBytes().orElse(-1)), Long.toString(b.usedBytes().orElse(-1)),
                    Long.toString(b.entries().orElse(-1)), b.error().orElse("").replace('\n', ' ').replace('\0', ' ')));
        }
        return String.join("\n", lines);
    }

    static List<BackendStatus> status(String payload) throws IOException {
        List<BackendStatus> backends = new ArrayList<>();
        if (payload.isEmpty()) {
            return backends;
        }
        for (String line : payload.split("\n")) {
            String[] f = fields(line, 7);
            try {
                backends.add(new BackendStatus(f[0], BackendStatus.Role.valueOf(f[1]), Boolean.parseBoolean(f[2]),
                        known(f[3]), known(f[4]), known(f[5]), f[6].isEmpty() ? Optional.empty() : Optional.of(f[6])));
            } catch (IllegalArgumentException e) {
                throw malformed(line);
            }
        }
        return backends;
    }

    private static OptionalLong known(String number) {
        long value = Long.parseLong(number);
        return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static String[] fields(String payload, int count) throws IOException {
        String[] f = payload.split("\0", -1);
        if (f.length != count) {
            throw malformed(payload);
        }
        return f;
    }

    private static IOException malformed(String payload) {
        return new IOException("the zstor daemon sent a reply this command does not understand: "
                + payload.replace('\0', '|') + " (is it another version?)");
    }
}
