/**
 * Snapshots of directory trees kept in zstor, and a copy-on-write FUSE filesystem over them.
 *
 * <p>A snapshot is a {@link dev.quilt.fs.Manifest}: the tree, and for every regular file the list of its
 * fixed-size chunks, each named by the SHA-256 of its plaintext and stored once in zstor as
 * {@code chunk/<hex>}. {@link dev.quilt.fs.Snapshotter} cuts a directory into one;
 * {@link dev.quilt.fs.FsMount} mounts one read-write, fetching chunks only when they are read and keeping
 * writes copy-on-write per chunk in a bounded local cache.
 */
package dev.quilt.fs;
