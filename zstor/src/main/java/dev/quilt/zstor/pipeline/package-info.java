/**
 * The per-stripe stages of the store and retrieve paths: {@link dev.quilt.zstor.pipeline.StripeReader}
 * cuts an input stream into fixed-size stripes, {@link dev.quilt.zstor.pipeline.StripeSealer}
 * compresses (zstd, when it shrinks) and seals each one with the object's
 * {@link dev.quilt.zstor.pipeline.ObjectCipher} (AES-256-GCM under a wrapped per-object key), and
 * {@link dev.quilt.zstor.pipeline.ShardChecksum} is what metadata records for every shard.
 * Buffers come from a {@link dev.quilt.zstor.pipeline.BufferAllocator} and are reused, so memory is
 * bounded by the stripe size, not the object size.
 */
package dev.quilt.zstor.pipeline;
