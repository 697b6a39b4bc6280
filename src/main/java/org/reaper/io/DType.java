package org.reaper.io;

import org.reaper.ReaperException;

import java.nio.ByteBuffer;

/** The safetensors dtypes Reaper reads (converted to float) and writes (converted from float). */
enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    static DType parse(String name, String where) {
        if (name != null) {
            for (DType d : values()) if (d.name().equals(name)) return d;
        }
        throw new ReaperException("unsupported dtype " + name + " for " + where
                + " (Reaper reads F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
    }

    /** Element {@code i} of a little-endian buffer holding this dtype, as a float. */
    float read(ByteBuffer b, int byteIndex) {
        return switch (this) {
            case F64 -> (float) b.getDouble(byteIndex);
            case F32 -> b.getFloat(byteIndex);
            case F16 -> halfToFloat(b.getShort(byteIndex));
            case BF16 -> Float.intBitsToFloat((b.getShort(byteIndex) & 0xFFFF) << 16);
            case I64 -> (float) b.getLong(byteIndex);
            case I32 -> (float) b.getInt(byteIndex);
            case I16 -> b.getShort(byteIndex);
            case I8 -> b.get(byteIndex);
            case U8 -> b.get(byteIndex) & 0xFF;
            case BOOL -> b.get(byteIndex) != 0 ? 1f : 0f;
        };
    }

    /** Appends {@code v} in this dtype to a little-endian buffer. */
    void write(ByteBuffer b, float v) {
        switch (this) {
            case F64 -> b.putDouble(v);
            case F32 -> b.putFloat(v);
            case F16 -> b.putShort(floatToHalf(v));
            case BF16 -> b.putShort(floatToBf16(v));
            case I64 -> b.putLong((long) v);
            case I32 -> b.putInt((int) v);
            case I16 -> b.putShort((short) (int) v);
            case I8, U8 -> b.put((byte) (int) v);
            case BOOL -> b.put((byte) (v != 0 ? 1 : 0));
        }
    }

    static float halfToFloat(short h) {
        int bits = h & 0xFFFF, sign = (bits & 0x8000) << 16, exp = (bits >>> 10) & 0x1F, mant = bits & 0x3FF;
        if (exp == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13)); // inf / nan
        if (exp == 0) { // zero or subnormal: mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Round-to-nearest-even float to IEEE half. */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs >= 0x7F800000) return (short) (sign | 0x7C00 | (abs > 0x7F800000 ? 0x200 : 0)); // inf / nan
        if (abs >= 0x477FF000) return (short) (sign | 0x7C00);                                  // overflow -> inf
        if (abs < 0x38800000) { // result is subnormal or zero: value / 2^-24, rounded to nearest even
            float scaled = Float.intBitsToFloat(abs) * 0x1p24f;
            return (short) (sign | (int) Math.rint(scaled));
        }
        int rounded = abs + 0xFFF + ((abs >>> 13) & 1);
        return (short) (sign | ((rounded - 0x38000000) >>> 13));
    }

    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) return (short) ((bits >>> 16) | 0x40); // quiet nan
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
