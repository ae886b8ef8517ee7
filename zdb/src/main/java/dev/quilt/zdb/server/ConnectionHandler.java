package dev.quilt.zdb.server;

import dev.quilt.zdb.command.CommandDispatcher;
import dev.quilt.zdb.command.Reply;
import dev.quilt.zdb.command.ServerStats;
import dev.quilt.zdb.command.Session;
import dev.quilt.zdb.resp.RespEncoder;
import dev.quilt.zdb.resp.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection: runs each decoded request, keeps replies in request order, and sends everything that is
 * ready as one buffer with one write+flush at the end of each read ({@code channelReadComplete}).
 *
 * <p><b>Durability.</b> A reply to a write leaves only once its {@link AckBatcher} batch completed: the write
 * was handed to the operating system (a {@code kill -9} cannot lose an acknowledged write) or, with
 * {@code --sync}, is on disk. Since replies leave strictly in order, everything after a write waits too, and a
 * later batch waits for an earlier one. Every connection that wrote during one event-loop pass joins the same
 * batch, so they share one flush and one fsync round.
 *
 * <p><b>Offloaded data.</b> A request that needs a data file that is not on disk (offloaded to zstor) does not
 * block the event loop while the missing-data hook brings it back: the store fails the read before changing
 * anything, the handler drops that reply, suspends this connection (later requests are held, unread, so replies
 * stay in request order), runs the hook on a virtual thread and runs the request again on the loop once the hook
 * exited. Other connections and namespaces are served meanwhile. A request may fetch up to
 * {@link #MAX_FETCHES_PER_REQUEST} different files (an MGET over several offloaded files); a file that is still
 * missing after its hook ran gives the store's error reply, as in 0-db.
 *
 * <p>Confined to the event loop that owns the store.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    /**
     * Replies held back (behind a WAIT, a compaction or an fsync) beyond which the connection stops being read
     * until they leave, so a client pipelining behind a blocked reply cannot grow the queue without bound.
     */
    static final int MAX_PENDING_REPLIES = 1024;

    /** Different missing data files one request may wait for before it is answered with the store's error. */
    static final int MAX_FETCHES_PER_REQUEST = 16;

    private final CommandDispatcher dispatcher;
    private final AckBatcher acks;
    private final ServerStats stats;
    private final HookRunner hooks;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Requests read while a request waits for a missing data file; run, in order, once it is answered. */
    private final ArrayDeque<Object> deferred = new ArrayDeque<>();
    private boolean suspended;
    private final List<Pending> batchWrites = new ArrayList<>();
    private Session session;
    private ChannelHandlerContext ctx;
    private boolean closing;

    /** A reply slot: filled now, or later by a future; a write's slot may also wait for durability. */
    private static final class Pending {
        RespValue value;
        CompletableFuture<RespValue> later;
        CompletableFuture<Void> gate;
        boolean close;

        boolean ready() {
            return (value != null || later.isDone()) && (gate == null || gate.isDone());
        }

        RespValue resolve() {
            if (gate != null && gate.isCompletedExceptionally()) {
                return RespValue.error("Cannot write data right now");
            }
            if (value != null) {
                return value;
            }
            if (later.isCancelled() || later.isCompletedExceptionally()) {
                return RespValue.error("Internal Error");
            }
            return later.join();
        }
    }

    ConnectionHandler(CommandDispatcher dispatcher, AckBatcher acks, ServerStats stats, HookRunner hooks) {
        this.dispatcher = dispatcher;
        this.acks = acks;
        this.stats = stats;
        this.hooks = hooks;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        session = dispatcher.newSession(String.valueOf(ctx.channel().remoteAddress()));
        stats.clientsConnected.incrementAndGet();
        LOG.debug("event=client_connected {}", session);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            dispatcher.disconnected(session);
            stats.clientsConnected.decrementAndGet();
            LOG.debug("event=client_disconnected {}", session);
        }
        pending.clear();
        batchWrites.clear();
        deferred.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            return;
        }
        if (suspended) {
            deferred.add(msg);
            return;
        }
        handle(msg);
    }

    private void handle(Object msg) {
        Pending slot = new Pending();
        switch (msg) {
            case RequestFrameDecoder.ProtocolError error -> {
                slot.value = RespValue.error(error.message());
                slot.close = error.close();
                if (error.close()) {
                    closing = true;
                    LOG.info("event=protocol_error error=\"{}\" action=close {}", error.message(), session);
                }
            }
            case List<?> request -> {
                @SuppressWarnings("unchecked")
                List<byte[]> args = (List<byte[]>) request;
                Reply reply = dispatcher.dispatch(session, args);
                Path needed = hooks.takeNeededDataFile();
                if (needed == null) {
                    accept(slot, reply);
                } else {
                    // Reads come before writes in every command, so the failed run changed nothing: drop its reply.
                    slot.later = new CompletableFuture<>();
                    slot.later.whenComplete((v, e) -> onLoop(this::drain));
                    suspended = true;
                    updateReading();
                    fetchThenRetry(slot, args, needed, new HashSet<>());
                }
            }
            default -> throw new IllegalStateException("unexpected message: " + msg.getClass());
        }
        pending.add(slot);
    }

    private void accept(Pending slot, Reply reply) {
        slot.value = reply.value();
        slot.later = reply.later();
        slot.close = reply.close();
        if (reply.close()) {
            closing = true;
        }
        if (reply.later() != null) {
            reply.later().whenComplete((v, e) -> onLoop(this::drain));
        }
        if (reply.write()) {
            batchWrites.add(slot);
        }
    }

    /** Fetches {@code needed} off the loop, then runs {@code args} again on the loop and answers {@code slot}. */
    private void fetchThenRetry(Pending slot, List<byte[]> args, Path needed, Set<Path> fetched) {
        fetched.add(needed);
        LOG.debug("event=missing_data_fetch file={} {}", needed, session);
        hooks.fetch(needed).whenComplete((ok, failure) -> onLoop(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            Reply reply = dispatcher.dispatch(session, args);
            Path again = hooks.takeNeededDataFile();
            if (again != null && !fetched.contains(again) && fetched.size() < MAX_FETCHES_PER_REQUEST) {
                fetchThenRetry(slot, args, again, fetched);
                return;
            }
            answer(slot, reply);
            resume();
        }));
    }

    /** Completes a slot whose request was run again after a fetch. */
    private void answer(Pending slot, Reply reply) {
        if (reply.close()) {
            slot.close = true;
            closing = true;
        }
        if (reply.write()) {
            CompletableFuture<Void> gate = acks.request();
            slot.gate = gate;
            gate.whenComplete((v, e) -> onLoop(this::drain));
        }
        if (reply.value() != null) {
            slot.later.complete(reply.value());
        } else {
            reply.later().whenComplete((v, e) -> {
                if (e != null) {
                    slot.later.completeExceptionally(e);
                } else {
                    slot.later.complete(v);
                }
            });
        }
    }

    /** Runs the requests held while suspended, until one suspends the connection again. */
    private void resume() {
        suspended = false;
        while (!suspended && !closing && !deferred.isEmpty()) {
            handle(deferred.poll());
        }
        channelReadComplete(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!batchWrites.isEmpty()) {
            CompletableFuture<Void> gate = acks.request();
            for (Pending slot : batchWrites) {
                slot.gate = gate;
            }
            if (!gate.isDone()) {
                gate.whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.error("event=write_ack_failed {}", session, e);
                    }
                    onLoop(this::drain);
                });
            }
            batchWrites.clear();
        }
        drain();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        updateReading();
        super.channelWritabilityChanged(ctx);
    }

    /** Back-pressure: read requests only while the peer reads its replies and few replies are held back. */
    private void updateReading() {
        boolean read = !suspended && ctx.channel().isWritable() && pending.size() < MAX_PENDING_REPLIES;
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("event=connection_error error=\"{}\" {}", cause.getMessage(), session);
        } else {
            LOG.warn("event=connection_error {}", session, cause);
        }
        ctx.close();
    }

    private void onLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    /** Sends every reply at the head of the queue that is ready, in one buffer and one flush. */
    private void drain() {
        if (!ctx.channel().isActive()) {
            return;
        }
        ByteBuf out = null;
        boolean closeAfter = false;
        while (!pending.isEmpty() && pending.peek().ready()) {
            Pending slot = pending.poll();
            if (out == null) {
                out = ctx.alloc().ioBuffer();
            }
            RespEncoder.write(slot.resolve(), out);
            if (slot.close) {
                closeAfter = true;
                pending.clear();
                break;
            }
        }
        if (out == null) {
            updateReading();
            return;
        }
        stats.networkTxBytes.addAndGet(out.readableBytes());
        if (closeAfter) {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(out, ctx.voidPromise());
            updateReading();
        }
    }
}
