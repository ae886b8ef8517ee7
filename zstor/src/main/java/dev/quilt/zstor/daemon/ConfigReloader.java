package dev.quilt.zstor.daemon;

import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.config.ConfigException;
import dev.quilt.zstor.config.ZstorConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config file into a running daemon (on SIGUSR1, as 0-stor_v2 does): backends, groups, shard
 * counts, keys and metadata backends take effect for the next call; calls already running finish on the
 * old store. A config that does not load is refused with one log line and the old one stays. Daemon
 * settings (socket, pid_file, zdb_data_dir_path, metrics) are read at start only.
 */
public final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** Opens a store over a config; {@link Zstor#open} outside tests. */
    @FunctionalInterface
    public interface Opener {
        Zstor open(ZstorConfig config) throws IOException;
    }

    private final Path file;
    private final Opener opener;
    private final ReloadableZstor target;

    public ConfigReloader(Path file, Opener opener, ReloadableZstor target) {
        this.file = file;
        this.opener = opener;
        this.target = target;
    }

    /** Loads the file and swaps the store; false (logged) when the new config is refused. */
    public synchronized boolean reload() {
        ZstorConfig next;
        Zstor opened;
        try {
            next = ZstorConfig.load(file);
            opened = opener.open(next);
        } catch (ConfigException e) {
            // Its message names the file and the key at fault.
            LOG.atWarn().addKeyValue("file", file).addKeyValue("error", e.getMessage())
                    .log("event=config_reload_refused kept=previous");
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().addKeyValue("file", file).addKeyValue("error", String.valueOf(e.getMessage()))
                    .log("event=config_reload_refused kept=previous");
            return false;
        }
        target.replace(opened);
        LOG.atInfo().addKeyValue("file", file)
                .addKeyValue("groups", next.groups().size())
                .addKeyValue("data_backends", next.groups().stream().mapToInt(g -> g.size()).sum())
                .addKeyValue("meta_backends", next.meta().backends().size())
                .log("event=config_reloaded");
        return true;
    }

    /** Calls {@link #reload} on every SIGUSR1 sent to this process. */
    public void onSignal() {
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), signal -> Thread.ofVirtual()
                .name("zstor-config-reload").start(this::reload));
    }
}
