/**
 * Data backends and placement: {@link dev.quilt.zstor.backend.Backend}s grouped into failure
 * domains ({@link dev.quilt.zstor.backend.BackendGroup}), and the
 * {@link dev.quilt.zstor.backend.BackendSelector} policy that chooses an object's n backends so
 * that the configured group and node losses leave k shards ({@link dev.quilt.zstor.backend.ShardLayout}).
 */
package dev.quilt.zstor.backend;
