package dev.quilt.zstor.erasure;

import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The nibble-shuffle kernel on 256-bit vectors; see {@link VectorKernels} for the technique, the loop
 * shape and why each width is its own class. The three kernel classes differ only in {@link #SPECIES}.
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
  public void multiply(CodingTables tables, byte[][] inputs, byte[][] outputs, int start, int count) {
    int offset = VectorKernels.codeUpToLine(tables, inputs, outputs, start, count);
    int length = count - (offset - start);
    int end = offset + SPECIES.loopBound(length);
    byte[] nib = tables.nibbles();
    int cols = tables.cols();
    int rows = tables.rows();
    for (int r = 0; r < rows; ) {
      int left = rows - r;
      // Groups of 4 rows; a last group of 5 rather than 4 + 1, so m = 5 needs one pass over the inputs.
      int group = left == 5 ? 5 : Math.min(left, 4);
      switch (group) {
        case 1 -> rows1(nib, r, cols, inputs, outputs, offset, end);
        case 2 -> rows2(nib, r, cols, inputs, outputs, offset, end);
        case 3 -> rows3(nib, r, cols, inputs, outputs, offset, end);
        case 4 -> rows4(nib, r, cols, inputs, outputs, offset, end);
        default -> rows5(nib, r, cols, inputs, outputs, offset, end);
      }
      r += group;
    }
    if (end < offset + length) {
      ScalarKernel.multiplyRange(tables, inputs, outputs, end, offset + length);
    }
  }

  /** {@code (v >>> 4) & 0x0F} per byte, shifting 16-bit lanes: x86 has no byte shift, and the mask drops
   * the bits that cross from the neighbouring byte. */
  private static ByteVector highNibbles(ByteVector v) {
    return v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
  }

  private static void rows1(byte[] nib, int r, int cols, byte[][] in, byte[][] out, int from, int end) {
    byte[] o0 = out[r];
    int stride = cols * 2 * WIDTH;
    int t0 = r * stride;
    int p = from;
    for (; p + 4 * WIDTH <= end; p += 4 * WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector b0 = a0;
      ByteVector c0 = a0;
      ByteVector d0 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector av = ByteVector.fromArray(SPECIES, src, p);
        ByteVector alo = av.and((byte) 0x0F);
        ByteVector ahi = highNibbles(av);
        ByteVector bv = ByteVector.fromArray(SPECIES, src, p + WIDTH);
        ByteVector blo = bv.and((byte) 0x0F);
        ByteVector bhi = highNibbles(bv);
        ByteVector cv = ByteVector.fromArray(SPECIES, src, p + 2 * WIDTH);
        ByteVector clo = cv.and((byte) 0x0F);
        ByteVector chi = highNibbles(cv);
        ByteVector dv = ByteVector.fromArray(SPECIES, src, p + 3 * WIDTH);
        ByteVector dlo = dv.and((byte) 0x0F);
        ByteVector dhi = highNibbles(dv);
        ByteVector tl0 = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th0 = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(XOR, alo.selectFrom(tl0)).lanewise(XOR, ahi.selectFrom(th0));
        b0 = b0.lanewise(XOR, blo.selectFrom(tl0)).lanewise(XOR, bhi.selectFrom(th0));
        c0 = c0.lanewise(XOR, clo.selectFrom(tl0)).lanewise(XOR, chi.selectFrom(th0));
        d0 = d0.lanewise(XOR, dlo.selectFrom(tl0)).lanewise(XOR, dhi.selectFrom(th0));
      }
      a0.intoArray(o0, p);
      b0.intoArray(o0, p + WIDTH);
      c0.intoArray(o0, p + 2 * WIDTH);
      d0.intoArray(o0, p + 3 * WIDTH);
    }
    for (; p < end; p += WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector av = ByteVector.fromArray(SPECIES, src, p);
        ByteVector alo = av.and((byte) 0x0F);
        ByteVector ahi = highNibbles(av);
        ByteVector tl0 = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th0 = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(XOR, alo.selectFrom(tl0)).lanewise(XOR, ahi.selectFrom(th0));
      }
      a0.intoArray(o0, p);
    }
  }

  private static void rows2(byte[] nib, int r, int cols, byte[][] in, byte[][] out, int from, int end) {
    byte[] o0 = out[r];
    byte[] o1 = out[r + 1];
    int stride = cols * 2 * WIDTH;
    int t0 = r * stride;
    int p = from;
    for (; p + 4 * WIDTH <= end; p += 4 * WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector a1 = a0;
      ByteVector b0 = a0;
      ByteVector b1 = a0;
      ByteVector c0 = a0;
      ByteVector c1 = a0;
      ByteVector d0 = a0;
      ByteVector d1 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector av = ByteVector.fromArray(SPECIES, src, p);
        ByteVector alo = av.and((byte) 0x0F);
        ByteVector ahi = highNibbles(av);
        ByteVector bv = ByteVector.fromArray(SPECIES, src, p + WIDTH);
        ByteVector blo = bv.and((byte) 0x0F);
        ByteVector bhi = highNibbles(bv);
        ByteVector cv = ByteVector.fromArray(SPECIES, src, p + 2 * WIDTH);
        ByteVector clo = cv.and((byte) 0x0F);
        ByteVector chi = highNibbles(cv);
        ByteVector dv = ByteVector.fromArray(SPECIES, src, p + 3 * WIDTH);
        ByteVector dlo = dv.and((byte) 0x0F);
        ByteVector dhi = highNibbles(dv);
        ByteVector tl0 = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th0 = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(XOR, alo.selectFrom(tl0)).lanewise(XOR, ahi.selectFrom(th0));
        b0 = b0.lanewise(XOR, blo.selectFrom(tl0)).lanewise(XOR, bhi.selectFrom(th0));
        c0 = c0.lanewise(XOR, clo.selectFrom(tl0)).lanewise(XOR, chi.selectFrom(th0));
        d0 = d0.lanewise(XOR, dlo.selectFrom(tl0)).lanewise(XOR, dhi.selectFrom(th0));
        ByteVector tl1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride);
        ByteVector th1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride + WIDTH);
        a1 = a1.lanewise(XOR, alo.selectFrom(tl1)).lanewise(XOR, ahi.selectFrom(th1));
        b1 = b1.lanewise(XOR, blo.selectFrom(tl1)).lanewise(XOR, bhi.selectFrom(th1));
        c1 = c1.lanewise(XOR, clo.selectFrom(tl1)).lanewise(XOR, chi.selectFrom(th1));
        d1 = d1.lanewise(XOR, dlo.selectFrom(tl1)).lanewise(XOR, dhi.selectFrom(th1));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
      b0.intoArray(o0, p + WIDTH);
      b1.intoArray(o1, p + WIDTH);
      c0.intoArray(o0, p + 2 * WIDTH);
      c1.intoArray(o1, p + 2 * WIDTH);
      d0.intoArray(o0, p + 3 * WIDTH);
      d1.intoArray(o1, p + 3 * WIDTH);
    }
    for (; p < end; p += WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector a1 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector av = ByteVector.fromArray(SPECIES, src, p);
        ByteVector alo = av.and((byte) 0x0F);
        ByteVector ahi = highNibbles(av);
        ByteVector tl0 = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th0 = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(XOR, alo.selectFrom(tl0)).lanewise(XOR, ahi.selectFrom(th0));
        ByteVector tl1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride);
        ByteVector th1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride + WIDTH);
        a1 = a1.lanewise(XOR, alo.selectFrom(tl1)).lanewise(XOR, ahi.selectFrom(th1));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
    }
  }

  private static void rows3(byte[] nib, int r, int cols, byte[][] in, byte[][] out, int from, int end) {
    byte[] o0 = out[r];
    byte[] o1 = out[r + 1];
    byte[] o2 = out[r + 2];
    int stride = cols * 2 * WIDTH;
    int t0 = r * stride;
    int p = from;
    for (; p + 2 * WIDTH <= end; p += 2 * WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      ByteVector b0 = a0;
      ByteVector b1 = a0;
      ByteVector b2 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector av = ByteVector.fromArray(SPECIES, src, p);
        ByteVector alo = av.and((byte) 0x0F);
        ByteVector ahi = highNibbles(av);
        ByteVector bv = ByteVector.fromArray(SPECIES, src, p + WIDTH);
        ByteVector blo = bv.and((byte) 0x0F);
        ByteVector bhi = highNibbles(bv);
        ByteVector tl0 = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th0 = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(XOR, alo.selectFrom(tl0)).lanewise(XOR, ahi.selectFrom(th0));
        b0 = b0.lanewise(XOR, blo.selectFrom(tl0)).lanewise(XOR, bhi.selectFrom(th0));
        ByteVector tl1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride);
        ByteVector th1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride + WIDTH);
        a1 = a1.lanewise(XOR, alo.selectFrom(tl1)).lanewise(XOR, ahi.selectFrom(th1));
        b1 = b1.lanewise(XOR, blo.selectFrom(tl1)).lanewise(XOR, bhi.selectFrom(th1));
        ByteVector tl2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride);
        ByteVector th2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride + WIDTH);
        a2 = a2.lanewise(XOR, alo.selectFrom(tl2)).lanewise(XOR, ahi.selectFrom(th2));
        b2 = b2.lanewise(XOR, blo.selectFrom(tl2)).lanewise(XOR, bhi.selectFrom(th2));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
      a2.intoArray(o2, p);
      b0.intoArray(o0, p + WIDTH);
      b1.intoArray(o1, p + WIDTH);
      b2.intoArray(o2, p + WIDTH);
    }
    for (; p < end; p += WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector av = ByteVector.fromArray(SPECIES, src, p);
        ByteVector alo = av.and((byte) 0x0F);
        ByteVector ahi = highNibbles(av);
        ByteVector tl0 = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th0 = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(XOR, alo.selectFrom(tl0)).lanewise(XOR, ahi.selectFrom(th0));
        ByteVector tl1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride);
        ByteVector th1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride + WIDTH);
        a1 = a1.lanewise(XOR, alo.selectFrom(tl1)).lanewise(XOR, ahi.selectFrom(th1));
        ByteVector tl2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride);
        ByteVector th2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride + WIDTH);
        a2 = a2.lanewise(XOR, alo.selectFrom(tl2)).lanewise(XOR, ahi.selectFrom(th2));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
      a2.intoArray(o2, p);
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
        ByteVector av = ByteVector.fromArray(SPECIES, src, p);
        ByteVector alo = av.and((byte) 0x0F);
        ByteVector ahi = highNibbles(av);
        ByteVector bv = ByteVector.fromArray(SPECIES, src, p + WIDTH);
        ByteVector blo = bv.and((byte) 0x0F);
        ByteVector bhi = highNibbles(bv);
        ByteVector tl0 = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th0 = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(XOR, alo.selectFrom(tl0)).lanewise(XOR, ahi.selectFrom(th0));
        b0 = b0.lanewise(XOR, blo.selectFrom(tl0)).lanewise(XOR, bhi.selectFrom(th0));
        ByteVector tl1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride);
        ByteVector th1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride + WIDTH);
        a1 = a1.lanewise(XOR, alo.selectFrom(tl1)).lanewise(XOR, ahi.selectFrom(th1));
        b1 = b1.lanewise(XOR, blo.selectFrom(tl1)).lanewise(XOR, bhi.selectFrom(th1));
        ByteVector tl2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride);
        ByteVector th2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride + WIDTH);
        a2 = a2.lanewise(XOR, alo.selectFrom(tl2)).lanewise(XOR, ahi.selectFrom(th2));
        b2 = b2.lanewise(XOR, blo.selectFrom(tl2)).lanewise(XOR, bhi.selectFrom(th2));
        ByteVector tl3 = ByteVector.fromArray(SPECIES, nib, t + 3 * stride);
        ByteVector th3 = ByteVector.fromArray(SPECIES, nib, t + 3 * stride + WIDTH);
        a3 = a3.lanewise(XOR, alo.selectFrom(tl3)).lanewise(XOR, ahi.selectFrom(th3));
        b3 = b3.lanewise(XOR, blo.selectFrom(tl3)).lanewise(XOR, bhi.selectFrom(th3));
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
        byte[] src = in[j];
        ByteVector av = ByteVector.fromArray(SPECIES, src, p);
        ByteVector alo = av.and((byte) 0x0F);
        ByteVector ahi = highNibbles(av);
        ByteVector tl0 = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th0 = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(XOR, alo.selectFrom(tl0)).lanewise(XOR, ahi.selectFrom(th0));
        ByteVector tl1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride);
        ByteVector th1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride + WIDTH);
        a1 = a1.lanewise(XOR, alo.selectFrom(tl1)).lanewise(XOR, ahi.selectFrom(th1));
        ByteVector tl2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride);
        ByteVector th2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride + WIDTH);
        a2 = a2.lanewise(XOR, alo.selectFrom(tl2)).lanewise(XOR, ahi.selectFrom(th2));
        ByteVector tl3 = ByteVector.fromArray(SPECIES, nib, t + 3 * stride);
        ByteVector th3 = ByteVector.fromArray(SPECIES, nib, t + 3 * stride + WIDTH);
        a3 = a3.lanewise(XOR, alo.selectFrom(tl3)).lanewise(XOR, ahi.selectFrom(th3));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
      a2.intoArray(o2, p);
      a3.intoArray(o3, p);
    }
  }

  private static void rows5(byte[] nib, int r, int cols, byte[][] in, byte[][] out, int from, int end) {
    byte[] o0 = out[r];
    byte[] o1 = out[r + 1];
    byte[] o2 = out[r + 2];
    byte[] o3 = out[r + 3];
    byte[] o4 = out[r + 4];
    int stride = cols * 2 * WIDTH;
    int t0 = r * stride;
    int p = from;
    for (; p + 2 * WIDTH <= end; p += 2 * WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      ByteVector a3 = a0;
      ByteVector a4 = a0;
      ByteVector b0 = a0;
      ByteVector b1 = a0;
      ByteVector b2 = a0;
      ByteVector b3 = a0;
      ByteVector b4 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector av = ByteVector.fromArray(SPECIES, src, p);
        ByteVector alo = av.and((byte) 0x0F);
        ByteVector ahi = highNibbles(av);
        ByteVector bv = ByteVector.fromArray(SPECIES, src, p + WIDTH);
        ByteVector blo = bv.and((byte) 0x0F);
        ByteVector bhi = highNibbles(bv);
        ByteVector tl0 = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th0 = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(XOR, alo.selectFrom(tl0)).lanewise(XOR, ahi.selectFrom(th0));
        b0 = b0.lanewise(XOR, blo.selectFrom(tl0)).lanewise(XOR, bhi.selectFrom(th0));
        ByteVector tl1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride);
        ByteVector th1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride + WIDTH);
        a1 = a1.lanewise(XOR, alo.selectFrom(tl1)).lanewise(XOR, ahi.selectFrom(th1));
        b1 = b1.lanewise(XOR, blo.selectFrom(tl1)).lanewise(XOR, bhi.selectFrom(th1));
        ByteVector tl2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride);
        ByteVector th2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride + WIDTH);
        a2 = a2.lanewise(XOR, alo.selectFrom(tl2)).lanewise(XOR, ahi.selectFrom(th2));
        b2 = b2.lanewise(XOR, blo.selectFrom(tl2)).lanewise(XOR, bhi.selectFrom(th2));
        ByteVector tl3 = ByteVector.fromArray(SPECIES, nib, t + 3 * stride);
        ByteVector th3 = ByteVector.fromArray(SPECIES, nib, t + 3 * stride + WIDTH);
        a3 = a3.lanewise(XOR, alo.selectFrom(tl3)).lanewise(XOR, ahi.selectFrom(th3));
        b3 = b3.lanewise(XOR, blo.selectFrom(tl3)).lanewise(XOR, bhi.selectFrom(th3));
        ByteVector tl4 = ByteVector.fromArray(SPECIES, nib, t + 4 * stride);
        ByteVector th4 = ByteVector.fromArray(SPECIES, nib, t + 4 * stride + WIDTH);
        a4 = a4.lanewise(XOR, alo.selectFrom(tl4)).lanewise(XOR, ahi.selectFrom(th4));
        b4 = b4.lanewise(XOR, blo.selectFrom(tl4)).lanewise(XOR, bhi.selectFrom(th4));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
      a2.intoArray(o2, p);
      a3.intoArray(o3, p);
      a4.intoArray(o4, p);
      b0.intoArray(o0, p + WIDTH);
      b1.intoArray(o1, p + WIDTH);
      b2.intoArray(o2, p + WIDTH);
      b3.intoArray(o3, p + WIDTH);
      b4.intoArray(o4, p + WIDTH);
    }
    for (; p < end; p += WIDTH) {
      ByteVector a0 = ByteVector.zero(SPECIES);
      ByteVector a1 = a0;
      ByteVector a2 = a0;
      ByteVector a3 = a0;
      ByteVector a4 = a0;
      for (int j = 0, t = t0; j < cols; j++, t += 2 * WIDTH) {
        byte[] src = in[j];
        ByteVector av = ByteVector.fromArray(SPECIES, src, p);
        ByteVector alo = av.and((byte) 0x0F);
        ByteVector ahi = highNibbles(av);
        ByteVector tl0 = ByteVector.fromArray(SPECIES, nib, t);
        ByteVector th0 = ByteVector.fromArray(SPECIES, nib, t + WIDTH);
        a0 = a0.lanewise(XOR, alo.selectFrom(tl0)).lanewise(XOR, ahi.selectFrom(th0));
        ByteVector tl1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride);
        ByteVector th1 = ByteVector.fromArray(SPECIES, nib, t + 1 * stride + WIDTH);
        a1 = a1.lanewise(XOR, alo.selectFrom(tl1)).lanewise(XOR, ahi.selectFrom(th1));
        ByteVector tl2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride);
        ByteVector th2 = ByteVector.fromArray(SPECIES, nib, t + 2 * stride + WIDTH);
        a2 = a2.lanewise(XOR, alo.selectFrom(tl2)).lanewise(XOR, ahi.selectFrom(th2));
        ByteVector tl3 = ByteVector.fromArray(SPECIES, nib, t + 3 * stride);
        ByteVector th3 = ByteVector.fromArray(SPECIES, nib, t + 3 * stride + WIDTH);
        a3 = a3.lanewise(XOR, alo.selectFrom(tl3)).lanewise(XOR, ahi.selectFrom(th3));
        ByteVector tl4 = ByteVector.fromArray(SPECIES, nib, t + 4 * stride);
        ByteVector th4 = ByteVector.fromArray(SPECIES, nib, t + 4 * stride + WIDTH);
        a4 = a4.lanewise(XOR, alo.selectFrom(tl4)).lanewise(XOR, ahi.selectFrom(th4));
      }
      a0.intoArray(o0, p);
      a1.intoArray(o1, p);
      a2.intoArray(o2, p);
      a3.intoArray(o3, p);
      a4.intoArray(o4, p);
    }
  }
}
