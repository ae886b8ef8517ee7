/**
 * Erasure coding for zstor: start at {@link dev.quilt.zstor.erasure.ErasureCoder}. The Reed-Solomon coder
 * and its kernels (scalar and Vector API) are package-private; {@code VectorKernels} describes the
 * technique.
 */
package dev.quilt.zstor.erasure;
