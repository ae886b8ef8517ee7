/**
 * The zstor daemon: a repair loop that scrubs and rebuilds stored objects, the offload of a local zdb's closed
 * data files (the target of zdb's {@code --hook}), a local control socket the hook talks to, and metrics.
 *
 * <p>Start with {@link dev.quilt.zstor.daemon.ZstorDaemon} and {@link dev.quilt.zstor.daemon.DaemonConfig};
 * {@link dev.quilt.zstor.daemon.HookClient} is what {@code quilt zstor hook} runs, and
 * {@link dev.quilt.zstor.daemon.FileKeys} names files as objects the same way for the CLI and the daemon.
 * Everything else is package-private.
 */
package dev.quilt.zstor.daemon;
