/**
 * Small file-system building blocks shared by Quilt's storage engines: {@link dev.quilt.common.io.AtomicFiles}
 * for state files that must never be seen half-written, and {@link dev.quilt.common.io.DirectoryLock} for
 * one-process-per-directory ownership.
 */
package dev.quilt.common.io;
