package dev.quilt.cli.devnet;

import java.nio.file.Path;

/** The files of a devnet directory; one place names them all. */
public record DevnetLayout(Path dir) {
    public Path genesis() {
        return dir.resolve("genesis.bin");
    }

    public Path key(String name) {
        return dir.resolve("keys").resolve(name + ".key");
    }

    public Path userKey() {
        return key("user");
    }

    Path chainData(int validator) {
        return dir.resolve("chain").resolve("v" + validator);
    }

    public Path nodeData(String node) {
        return dir.resolve("nodes").resolve(node);
    }

    public Path log(String part) {
        return dir.resolve("logs").resolve(part + ".log");
    }

    Path pidFile(String part) {
        return dir.resolve("run").resolve(part + ".pid");
    }

    Path lock() {
        return dir.resolve("run").resolve("supervisor.lock");
    }

    Path supervisorPid() {
        return pidFile("supervisor");
    }

    boolean exists() {
        return java.nio.file.Files.exists(dir.resolve(DevnetConfig.FILE));
    }
}
