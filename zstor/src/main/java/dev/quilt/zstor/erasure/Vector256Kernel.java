package dev.quilt.zstor.erasure;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The nibble-shuffle kernel on 256-bit vectors; see {@link VectorKernels} for the technique and why
 * each width is its own class.
 */
enum Vector256Kernel implements CodingKernel {
  INSTANCE;

  private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_256;
  private static final int WIDTH = 32;

  @Override
  public CodingTables prepare(byte[][] matrix) {
    return CodingTables.of(matrix, WIDTH);
  }

  @Override
  public void multiply(CodingTables tables, byte[][] inputs, byte[][] outputs, int offset, int length) {
    int end = offset + SPECIES.loopBound(length);
    byte[] nib = tables.nibbles();
    int cols = tables.cols();
    int rows = tables.rows();
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      rows4(nib, r, cols, inputs, outputs, offset, end);
    }
    if (r + 2 <= rows) {
      rows2(nib, r, cols, inputs, outputs, offset, end);
      r += 2;
    }
    if (r < rows) {
      rows1(nib, r, cols, inputs, outputs, offset, end);
    }
    if (end < offset + length) {
      ScalarKernel.multiplyRange(tables, inputs, outputs, end, offset + length);
    }
  }

  private static void rows4(byte[] nib, int r, int cols, byte[][] in, byte[][] out, int from, int end) {
    byte[] o0 = out[r];
    byte[] o1 = out[r + 1];
    byte[] o2 = out[r + 2];
    byte[] o3 = out[r + 3];
    int stride = cols * 2 * WIDTH;
    int t0 = r * stride;
    int p = from;
    // Two vectors of positions per iteration: each table load feeds two lookups.
    for (; p + 2 * WIDTH <= end; p += 2 * WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      ByteVector a3 = a0;
      ByteVector b0 = a0;
      ByteVector b1 = a0;
      ByteVector b2 = a0;
      ByteVector b3 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector v = ByteVector.fromArray(SPECIES, src, p);
        ByteVector w = ByteVector.fromArray(SPECIES, src, p + WIDTH);
        ByteVector vlo = v.and((byte) 0x0F);
        ByteVector vhi = v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
        ByteVector wlo = w.and((byte) 0x0F);
        ByteVector whi = w.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
        ByteVector tl = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(VectorOperators.XOR, vlo.selectFrom(tl)).lanewise(VectorOperators.XOR, vhi.selectFrom(th));
        b0 = b0.lanewise(VectorOperators.XOR, wlo.selectFrom(tl)).lanewise(VectorOperators.XOR, whi.selectFrom(th));
        int t1 = t + stride;
        tl = ByteVector.fromArray(SPECIES, nib, t1);
        th = ByteVector.fromArray(SPECIES, nib, t1 + WIDTH);
        a1 = a1.lanewise(VectorOperators.XOR, vlo.selectFrom(tl)).lanewise(VectorOperators.XOR, vhi.selectFrom(th));
        b1 = b1.lanewise(VectorOperators.XOR, wlo.selectFrom(tl)).lanewise(VectorOperators.XOR, whi.selectFrom(th));
        int t2 = t1 + stride;
        tl = ByteVector.fromArray(SPECIES, nib, t2);
        th = ByteVector.fromArray(SPECIES, nib, t2 + WIDTH);
        a2 = a2.lanewise(VectorOperators.XOR, vlo.selectFrom(tl)).lanewise(VectorOperators.XOR, vhi.selectFrom(th));
        b2 = b2.lanewise(VectorOperators.XOR, wlo.selectFrom(tl)).lanewise(VectorOperators.XOR, whi.selectFrom(th));
        int t3 = t2 + stride;
        tl = ByteVector.fromArray(SPECIES, nib, t3);
        th = ByteVector.fromArray(SPECIES, nib, t3 + WIDTH);
        a3 = a3.lanewise(VectorOperators.XOR, vlo.selectFrom(tl)).lanewise(VectorOperators.XOR, vhi.selectFrom(th));
        b3 = b3.lanewise(VectorOperators.XOR, wlo.selectFrom(tl)).lanewise(VectorOperators.XOR, whi.selectFrom(th));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
      a2.intoArray(o2, p);
      a3.intoArray(o3, p);
      b0.intoArray(o0, p + WIDTH);
      b1.intoArray(o1, p + WIDTH);
      b2.intoArray(o2, p + WIDTH);
      b3.intoArray(o3, p + WIDTH);
    }
    for (; p < end; p += WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      ByteVector a3 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        ByteVector v = ByteVector.fromArray(SPECIES, in[j], p);
        ByteVector lo = v.and((byte) 0x0F);
        ByteVector hi = v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
        a0 = a0.lanewise(VectorOperators.XOR, lo.selectFrom(ByteVector.fromArray(SPECIES, nib, t)))
            .lanewise(VectorOperators.XOR, hi.selectFrom(ByteVector.fromArray(SPECIES, nib, t + WIDTH)));
        int t1 = t + stride;
        a1 = a1.lanewise(VectorOperators.XOR, lo.selectFrom(ByteVector.fromArray(SPECIES, nib, t1)))
            .lanewise(VectorOperators.XOR, hi.selectFrom(ByteVector.fromArray(SPECIES, nib, t1 + WIDTH)));
        int t2 = t1 + stride;
        a2 = a2.lanewise(VectorOperators.XOR, lo.selectFrom(ByteVector.fromArray(SPECIES, nib, t2)))
            .lanewise(VectorOperators.XOR, hi.selectFrom(ByteVector.fromArray(SPECIES, nib, t2 + WIDTH)));
        int t3 = t2 + stride;
        a3 = a3.lanewise(VectorOperators.XOR, lo.selectFrom(ByteVector.fromArray(SPECIES, nib, t3)))
            .lanewise(VectorOperators.XOR, hi.selectFrom(ByteVector.fromArray(SPECIES, nib, t3 + WIDTH)));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
      a2.intoArray(o2, p);
      a3.intoArray(o3, p);
    }
  }

  private static void rows2(byte[] nib, int r, int cols, byte[][] in, byte[][] out, int from, int end) {
    byte[] o0 = out[r];
    byte[] o1 = out[r + 1];
    int stride = cols * 2 * WIDTH;
    int t0 = r * stride;
    int p = from;
    for (; p + 2 * WIDTH <= end; p += 2 * WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector a1 = a0;
      ByteVector b0 = a0;
      ByteVector b1 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector v = ByteVector.fromArray(SPECIES, src, p);
        ByteVector w = ByteVector.fromArray(SPECIES, src, p + WIDTH);
        ByteVector vlo = v.and((byte) 0x0F);
        ByteVector vhi = v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
        ByteVector wlo = w.and((byte) 0x0F);
        ByteVector whi = w.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
        ByteVector tl = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(VectorOperators.XOR, vlo.selectFrom(tl)).lanewise(VectorOperators.XOR, vhi.selectFrom(th));
        b0 = b0.lanewise(VectorOperators.XOR, wlo.selectFrom(tl)).lanewise(VectorOperators.XOR, whi.selectFrom(th));
        int t1 = t + stride;
        tl = ByteVector.fromArray(SPECIES, nib, t1);
        th = ByteVector.fromArray(SPECIES, nib, t1 + WIDTH);
        a1 = a1.lanewise(VectorOperators.XOR, vlo.selectFrom(tl)).lanewise(VectorOperators.XOR, vhi.selectFrom(th));
        b1 = b1.lanewise(VectorOperators.XOR, wlo.selectFrom(tl)).lanewise(VectorOperators.XOR, whi.selectFrom(th));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
      b0.intoArray(o0, p + WIDTH);
      b1.intoArray(o1, p + WIDTH);
    }
    for (; p < end; p += WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector a1 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        ByteVector v = ByteVector.fromArray(SPECIES, in[j], p);
        ByteVector lo = v.and((byte) 0x0F);
        ByteVector hi = v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
        a0 = a0.lanewise(VectorOperators.XOR, lo.selectFrom(ByteVector.fromArray(SPECIES, nib, t)))
            .lanewise(VectorOperators.XOR, hi.selectFrom(ByteVector.fromArray(SPECIES, nib, t + WIDTH)));
        int t1 = t + stride;
        a1 = a1.lanewise(VectorOperators.XOR, lo.selectFrom(ByteVector.fromArray(SPECIES, nib, t1)))
            .lanewise(VectorOperators.XOR, hi.selectFrom(ByteVector.fromArray(SPECIES, nib, t1 + WIDTH)));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
    }
  }

  private static void rows1(byte[] nib, int r, int cols, byte[][] in, byte[][] out, int from, int end) {
    byte[] o0 = out[r];
    int t0 = r * cols * 2 * WIDTH;
    int p = from;
    for (; p + 2 * WIDTH <= end; p += 2 * WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector b0 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector v = ByteVector.fromArray(SPECIES, src, p);
        ByteVector w = ByteVector.fromArray(SPECIES, src, p + WIDTH);
        ByteVector tl = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(VectorOperators.XOR, v.and((byte) 0x0F).selectFrom(tl)).lanewise(VectorOperators.XOR,
            v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F).selectFrom(th));
        b0 = b0.lanewise(VectorOperators.XOR, w.and((byte) 0x0F).selectFrom(tl)).lanewise(VectorOperators.XOR,
            w.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F).selectFrom(th));
      }
      a0.intoArray(o0, p);
      b0.intoArray(o0, p + WIDTH);
    }
    for (; p < end; p += WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        ByteVector v = ByteVector.fromArray(SPECIES, in[j], p);
        ByteVector lo = v.and((byte) 0x0F);
        ByteVector hi = v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
        a0 = a0.lanewise(VectorOperators.XOR, lo.selectFrom(ByteVector.fromArray(SPECIES, nib, t)))
            .lanewise(VectorOperators.XOR, hi.selectFrom(ByteVector.fromArray(SPECIES, nib, t + WIDTH)));
      }
      a0.intoArray(o0, p);
    }
  }
}
