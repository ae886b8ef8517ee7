/**
 * zstor: dispersed, encrypted, erasure-coded object storage over many zdb backends.
 *
 * <p>The API is {@link dev.quilt.zstor.Zstor} and its records and exceptions. Behind
 * {@link dev.quilt.zstor.Zstor#open} sit package-private parts with one job each: the engine's shared
 * state ({@code Engine}), the store path ({@code ObjectWriter}), the read path ({@code ObjectReader}
 * over {@code StripeFetcher}'s hedged k-of-n reads), the scrub ({@code Scrubber}), repair
 * ({@code Rebuilder}), placement with stand-ins ({@code ShardPlacement}) and deletion of unreferenced
 * shards ({@code ShardSweeper}).
 */
package dev.quilt.zstor;
