package dev.quilt.zstor.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link BufferAllocator} that counts what it hands out. */
final class CountingAllocator implements BufferAllocator {

    final AtomicInteger buffers = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();

    @Override
    public byte[] allocate(int size) {
        buffers.incrementAndGet();
        bytes.addAndGet(size);
        return new byte[size];
    }
}
