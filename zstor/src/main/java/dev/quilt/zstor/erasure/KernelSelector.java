package dev.quilt.zstor.erasure;

import dev.quilt.zstor.erasure.ErasureCoder.Kernel;
import java.util.Locale;

/**
 * Chooses the coding kernel once per JVM.
 *
 * <p>The choice, in order: the system property {@value #PROPERTY} if set ({@code scalar}, {@code vector128},
 * {@code vector256}, {@code vector512}, or {@code auto}); the scalar kernel if the
 * {@code jdk.incubator.vector} module is absent; the 512-bit kernel if the JVM prefers 512-bit vectors
 * (AVX-512); otherwise the 128-bit kernel. A preferred size of 256 bits means an AVX2 code path, where C2
 * emulates a 32-byte {@code selectFrom} with several instructions and the 128-bit kernel, one
 * {@code vpshufb} per lookup, is faster (measured: 2.7 against 2.0 GB/s for 16+4 with
 * {@code -XX:UseAVX=2}, zstor-reference §3.2).
 */
final class KernelSelector {

  /** Forces a kernel for the whole JVM, for tests and benchmarks. */
  static final String PROPERTY = "quilt.zstor.erasure.kernel";

  private static final boolean VECTOR_MODULE =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private KernelSelector() {}

  static boolean isSupported(Kernel kernel) {
    return switch (kernel) {
      case SCALAR -> true;
      case VECTOR_128, VECTOR_256, VECTOR_512 -> VECTOR_MODULE && VectorKernels.maxBits() >= kernel.vectorBits();
    };
  }

  static Kernel preferred() {
    String forced = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    Kernel kernel = switch (forced) {
      case "auto", "" -> Automatic.CHOICE;
      case "scalar" -> Kernel.SCALAR;
      case "vector128" -> Kernel.VECTOR_128;
      case "vector256" -> Kernel.VECTOR_256;
      case "vector512" -> Kernel.VECTOR_512;
      default -> throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s: %s (expected: auto, scalar, vector128, vector256 or vector512)", PROPERTY, forced));
    };
    requireSupported(kernel);
    return kernel;
  }

  static CodingKernel kernel(Kernel kernel) {
    requireSupported(kernel);
    return kernel == Kernel.SCALAR ? ScalarKernel.INSTANCE : VectorKernels.of(kernel);
  }

  private static void requireSupported(Kernel kernel) {
    if (!isSupported(kernel)) {
      throw new IllegalStateException(VECTOR_MODULE
          ? String.format(Locale.ROOT, "kernel %s needs %d-bit vectors; this CPU and JVM support at most %d",
              kernel, kernel.vectorBits(), VectorKernels.maxBits())
          : "kernel " + kernel + " needs the Vector API: run java with --add-modules jdk.incubator.vector");
    }
  }

  /** The automatic choice, computed on first use. */
  private static final class Automatic {
    static final Kernel CHOICE = choose();

    private static Kernel choose() {
      if (!VECTOR_MODULE) {
        return Kernel.SCALAR;
      }
      int bits = VectorKernels.preferredBits();
      if (bits >= 512) {
        return Kernel.VECTOR_512;
      }
      return bits >= 128 ? Kernel.VECTOR_128 : Kernel.SCALAR;
    }
  }
}
