/**
 * Harnesses for tests that use real parts: free ports, polling waits, child JVMs and external programs.
 *
 * <p>Start with {@link dev.quilt.testkit.Await} (wait for a condition, never for a duration),
 * {@link dev.quilt.testkit.FreePorts}, {@link dev.quilt.testkit.FaultProxy} (network faults in front of a
 * real server), {@link dev.quilt.testkit.JavaProcess} (a child JVM that can be
 * killed with {@code kill -9}), {@link dev.quilt.testkit.Commands} (run {@code redis-cli} and friends) and
 * {@link dev.quilt.testkit.OpenFiles} (the descriptors this process holds, deleted files included).
 * This module depends only on {@code common} and the JUnit API, so every module may use it in test scope.
 */
package dev.quilt.testkit;
