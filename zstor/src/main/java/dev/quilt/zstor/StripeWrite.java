package dev.quilt.zstor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;

/**
 * The n shard writes of one stripe, and when the stripe is done with them. It is done when every
 * write ended, or, once {@code quorum} writes succeeded, when the writes still running have had a
 * grace period from that moment: as long again as the quorum took, and at least their own grace
 * (derived from their measured write latency). Those still running then are <em>abandoned</em>. A
 * stalled backend thus costs a store about one grace period, not the backend's read timeout.
 * An abandoned write goes on in the background; whatever it ends with is ignored here. Thread-safe.
 */
final class StripeWrite {

    private enum State { RUNNING, SUCCEEDED, FAILED, ABANDONED, SKIPPED }

    private final State[] states;
    private int running;
    private int succeeded;

    /** All n indexes start as running; {@link #skip} the ones not written. */
    StripeWrite(int n) {
        this.states = new State[n];
        Arrays.fill(states, State.RUNNING);
        this.running = n;
    }

    /** Index {@code i} is not written in this stripe (it failed in an earlier one). */
    synchronized void skip(int i) {
        end(i, State.SKIPPED);
    }

    synchronized boolean running(int i) {
        return states[i] == State.RUNNING;
    }

    synchronized void succeeded(int i) {
        if (end(i, State.SUCCEEDED)) {
            succeeded++;
        }
    }

    /** The write of index {@code i} failed; false when it had been abandoned already (the failure is moot). */
    synchronized boolean failed(int i) {
        return end(i, State.FAILED);
    }

    private boolean end(int i, State state) {
        if (states[i] != State.RUNNING) {
            return false;
        }
        states[i] = state;
        running--;
        notifyAll();
        return true;
    }

    /**
     * Waits until the stripe is done and returns the indexes abandoned.
     *
     * @param quorum successful writes after which the rest get only {@code grace}
     * @param grace per running index, how long it may still take once the quorum is reached
     *     (nanoseconds); the longest among those still running applies
     */
    synchronized List<Integer> await(int quorum, IntToLongFunction grace) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = 0;
        boolean quorumSeen = false;
        while (running > 0) {
            if (succeeded >= quorum) {
                if (!quorumSeen) {
                    quorumSeen = true;
                    long longest = System.nanoTime() - started;
                    for (int i = 0; i < states.length; i++) {
                        if (states[i] == State.RUNNING) {
                            longest = Math.max(longest, grace.applyAsLong(i));
                        }
                    }
                    deadline = System.nanoTime() + longest;
                }
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, wait);
            } else {
                wait();
            }
        }
        List<Integer> abandoned = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            if (states[i] == State.RUNNING) {
                states[i] = State.ABANDONED;
                running--;
                abandoned.add(i);
            }
        }
        return abandoned;
    }
}
