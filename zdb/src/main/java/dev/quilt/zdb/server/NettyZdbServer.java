package dev.quilt.zdb.server;

import dev.quilt.common.metrics.MetricsHttpServer;
import dev.quilt.common.metrics.MetricsRegistry;
import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.ZdbTransport;
import dev.quilt.zdb.command.CommandDispatcher;
import dev.quilt.zdb.command.CommandEnvironment;
import dev.quilt.zdb.command.ServerStats;
import dev.quilt.zdb.resp.RespLimits;
import dev.quilt.zdb.store.Store;
import dev.quilt.zdb.store.StoreConfig;
import dev.quilt.zdb.store.StoreListener;
import dev.quilt.zdb.store.StoreStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zdb network server: one Netty event loop thread accepts and serves every connection and owns the
 * {@link Store} (the store is confined to it). epoll when available, else io_uring, else NIO
 * ({@link NettyTransport}; {@code --socket} needs one of the native two). TCP_NODELAY is on and replies are coalesced per read, so pipelined
 * clients never meet the Nagle/delayed-ACK stall.
 *
 * <p>Start-up order: bind (accepting nothing yet), open the store on the loop (hook {@code namespaces-init}),
 * run the {@code ready} hook (a non-zero exit aborts), start the metrics endpoint, then accept. Close order:
 * stop accepting, close connections, run the {@code close} hook, close the store (flush, fsync, hooks
 * {@code namespace-closing}), stop the loop.
 *
 * <p>Thread-safe.
 */
public final class NettyZdbServer implements ZdbServer {

    private static final Logger LOG = LoggerFactory.getLogger(NettyZdbServer.class);

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final List<Channel> listeners;
    private final ChannelGroup connections;
    private final Store store;
    private final HookRunner hooks;
    private final MetricsHttpServer metricsServer;
    private final ExecutorService background;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Optional<InetSocketAddress> address;
    private final Object closeLock = new Object();
    // @GuardedBy("closeLock")
    private boolean closed;

    private NettyZdbServer(EventLoopGroup group, EventLoop loop, List<Channel> listeners, ChannelGroup connections,
                           Store store, HookRunner hooks, MetricsHttpServer metricsServer, ExecutorService background,
                           Optional<InetSocketAddress> address) {
        this.group = group;
        this.loop = loop;
        this.listeners = listeners;
        this.connections = connections;
        this.store = store;
        this.hooks = hooks;
        this.metricsServer = metricsServer;
        this.background = background;
        this.address = address;
    }

    /** How the server opens its store; tests substitute a double. */
    @FunctionalInterface
    interface StoreOpener {
        Store open(StoreConfig config, StoreListener listener, Executor owner) throws IOException;
    }

    /** Opens the store and starts serving; see the class comment for the order. */
    public static ZdbServer start(ZdbServerConfig config) throws IOException {
        return start(config, Store::open);
    }

    static ZdbServer start(ZdbServerConfig config, StoreOpener opener) throws IOException {
        NettyTransport transport = NettyTransport.select(config.transport());
        if (config.socket().isPresent() && transport.domain().isEmpty()) {
            String why = config.transport() == ZdbTransport.NIO ? "" : " (epoll: " + Epoll.unavailabilityCause() + ")";
            throw new IOException("--socket " + config.socket().get() + " needs the epoll or io_uring transport, not "
                    + transport.label() + why);
        }
        BusyPoll busyPoll = new BusyPoll(config.busyPoll());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.io().apply(busyPoll));
        EventLoop loop = group.next();
        busyPoll.attach(loop);
        ChannelGroup connections = new DefaultChannelGroup("zdb-connections", loop);
        ServerStats stats = new ServerStats();
        MetricsRegistry metrics = new MetricsRegistry();
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        List<Channel> listeners = new ArrayList<>();
        ServerHolder holder = new ServerHolder();
        Store store = null;
        MetricsHttpServer metricsServer = null;
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .option(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, false)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            connections.add(ch);
                            ch.pipeline().addLast(new RequestFrameDecoder(RespLimits.ZDB, stats),
                                    new ConnectionHandler(holder.dispatcher, holder.acks, stats, holder.hooks));
                        }
                    });
            Optional<InetSocketAddress> tcp = Optional.empty();
            if (config.listen().isPresent()) {
                Channel ch = bind(bootstrap.clone().channel(transport.tcp()).childOption(ChannelOption.TCP_NODELAY, true),
                        config.listen().get());
                listeners.add(ch);
                tcp = Optional.of((InetSocketAddress) ch.localAddress());
            }
            if (config.socket().isPresent()) {
                Files.deleteIfExists(config.socket().get());
                Channel ch = bind(bootstrap.clone().channel(transport.domain().orElseThrow()),
                        new DomainSocketAddress(config.socket().get().toFile()));
                listeners.add(ch);
            }
            String instanceId = tcp.map(a -> "tcp://" + a.getHostString() + ":" + a.getPort())
                    .orElseGet(() -> "unix://" + config.socket().orElseThrow());
            HookRunner hooks = new HookRunner(config.hook(), instanceId, Clock.systemUTC());
            store = onLoop(loop, () -> opener.open(config.store(), hooks, loop));
            // Start-up may wait for missing-data (nothing is served yet); from here on the loop never does.
            onLoop(loop, () -> {
                hooks.deferMissingDataOn(Thread.currentThread());
                return null;
            });
            holder.store = store;
            holder.hooks = hooks;
            holder.acks = new AckBatcher(store, loop, config.store().syncEveryWrite());
            long bootTime = System.currentTimeMillis() / 1000;
            CommandEnvironment env = new CommandEnvironment(store, config.adminPassword(), config.protect(), loop,
                    background, hooks, hooks, stats, metrics, Clock.systemUTC(), new SecureRandom(),
                    Integer.toUnsignedLong(new SecureRandom().nextInt()), bootTime);
            holder.dispatcher = new CommandDispatcher(env);
            int ready = hooks.ready();
            if (ready != 0) {
                throw new IOException("hook " + config.hook().orElseThrow() + " exited with " + ready
                        + " on the ready event: start-up aborted");
            }
            StoreSnapshot snapshot = new StoreSnapshot(store);
            loop.scheduleAtFixedRate(snapshot::refresh, 0, 1, TimeUnit.SECONDS);
            // At most a second apart: sweeps also let go of deleted data files, whose space must not wait for the timeout.
            long sweepMillis = Math.clamp(config.store().dataFileIdleTimeout().toMillis() / 2, 10, 1000);
            loop.scheduleAtFixedRate(store::closeIdleFiles, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
            registerMetrics(metrics, stats, snapshot, busyPoll);
            if (config.metrics().isPresent()) {
                metricsServer = MetricsHttpServer.start(config.metrics().get(), metrics);
            }
            NettyZdbServer server = new NettyZdbServer(group, loop, listeners, connections, store, hooks, metricsServer,
                    background, tcp);
            for (Channel ch : listeners) {
                ch.config().setAutoRead(true);
            }
            long busyPollMicros = transport.busyPolls() ? config.busyPoll().toNanos() / 1000 : 0;
            LOG.info("event=ready instance={} transport={} busy_poll_us={} sync={} admin={} protect={} metrics={}",
                    instanceId, transport.label(), busyPollMicros, config.store().syncEveryWrite(),
                    config.adminPassword().isPresent(), config.protect(),
                    server.metricsAddress().map(String::valueOf).orElse("none"));
            return server;
        } catch (IOException | RuntimeException e) {
            for (Channel ch : listeners) {
                ch.close().awaitUninterruptibly();
            }
            if (metricsServer != null) {
                metricsServer.close();
            }
            if (store != null) {
                Store opened = store;
                try {
                    onLoop(loop, () -> {
                        opened.close();
                        return null;
                    });
                } catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            background.shutdownNow();
            throw e;
        }
    }

    /** Filled in once the store is open; connections are only accepted after that. */
    private static final class ServerHolder {
        volatile CommandDispatcher dispatcher;
        volatile Store store;
        volatile AckBatcher acks;
        volatile HookRunner hooks;
    }

    /** Store counters sampled on the event loop, readable from the metrics thread. */
    private static final class StoreSnapshot {
        private final Store store;
        private volatile StoreStats stats = new StoreStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        StoreSnapshot(Store store) {
            this.store = store;
        }

        void refresh() {
            try {
                stats = store.stats();
            } catch (RuntimeException e) {
                LOG.debug("event=stats_unavailable error=\"{}\"", e.getMessage());
            }
        }

        StoreStats get() {
            return stats;
        }
    }

    private static void registerMetrics(MetricsRegistry metrics, ServerStats stats, StoreSnapshot store,
                                        BusyPoll busyPoll) {
        metrics.gauge("zdb_connections", "Open client connections", stats.clientsConnected::get);
        metrics.counter("zdb_connections_total", "Connections accepted since start", stats.clientsLifetime::get);
        metrics.counter("zdb_network_rx_bytes_total", "Bytes received from clients", stats.networkRxBytes::get);
        metrics.counter("zdb_network_tx_bytes_total", "Bytes sent to clients", stats.networkTxBytes::get);
        metrics.counter("zdb_protocol_errors_total", "Requests refused by the RESP decoder", stats.protocolErrors::get);
        metrics.counter("zdb_commands_unauthorized_total", "Commands refused for lack of rights", stats.commandsUnauthorized::get);
        metrics.gauge("zdb_keys", "Live keys in all namespaces", () -> store.get().liveKeys());
        metrics.gauge("zdb_data_bytes", "Live payload bytes in all namespaces", () -> store.get().liveDataBytes());
        metrics.counter("zdb_fsyncs_total", "fsync calls", () -> store.get().fsyncs());
        metrics.counter("zdb_recovered_bytes_total", "Bytes cut from torn file tails at start-up",
                () -> store.get().recoveredBytesCut());
        metrics.counter("zdb_data_write_bytes_total", "Bytes appended to data files", () -> store.get().dataWriteBytes());
        metrics.counter("zdb_index_write_bytes_total", "Bytes appended to index files", () -> store.get().indexWriteBytes());
        metrics.counter("zdb_busy_poll_microseconds_total", "Time the event loop polled for I/O instead of sleeping",
                () -> busyPoll.pollNanos() / 1000);
        metrics.counter("zdb_busy_poll_fruitless_total", "Polls that found nothing before their budget ran out",
                busyPoll::fruitlessPolls);
    }

    private static Channel bind(ServerBootstrap bootstrap, java.net.SocketAddress address) throws IOException {
        try {
            return bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + address, e);
        } catch (Exception e) {
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface LoopTask<T> {
        T run() throws IOException;
    }

    /** Runs {@code task} on the event loop and waits for it, unwrapping its IOException. */
    private static <T> T onLoop(EventLoop loop, LoopTask<T> task) throws IOException {
        try {
            return loop.submit(task::run).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        }
    }

    @Override
    public Optional<InetSocketAddress> address() {
        return address;
    }

    @Override
    public Optional<InetSocketAddress> metricsAddress() {
        return Optional.ofNullable(metricsServer).map(MetricsHttpServer::address);
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    @Override
    public void close() throws IOException {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            for (Channel ch : listeners) {
                ch.close().awaitUninterruptibly();
            }
            connections.close().awaitUninterruptibly();
            if (metricsServer != null) {
                metricsServer.close();
            }
            hooks.close();
            onLoop(loop, () -> {
                store.close();
                return null;
            });
            LOG.info("event=closed");
        } finally {
            background.shutdownNow();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            terminated.countDown();
        }
    }
}
