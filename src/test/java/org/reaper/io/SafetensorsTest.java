package org.reaper.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Round trips, the on-disk layout, and files written by other tools (crafted bytes). */
class SafetensorsTest {
    @TempDir Path tmp;

    static Path craft(Path file, String headerJson, byte[] data) throws IOException {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return Files.write(file, b.array());
    }

    @Test void roundTripWithMetadata() throws IOException {
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("features.0.weight", HostTensor.f32(new int[] {2, 3, 1, 1}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}));
        in.put("bn.num_batches_tracked", new HostTensor("I64", new int[] {}, new float[] {12345}));
        in.put("a.bias", HostTensor.f32(new int[] {3}, new float[] {0.1f, 0.2f, 0.3f}));
        in.put("empty", HostTensor.f32(new int[] {0, 4}, new float[0]));
        Map<String, String> meta = Map.of("format", "pt", "reaper.epoch", "7");
        Path f = tmp.resolve("ck.safetensors");
        Safetensors.write(f, in, meta);
        Safetensors.Loaded out = Safetensors.read(f);
        assertEquals(in, out.tensors());
        assertEquals(meta, out.metadata());

        // layout: 8-byte LE length, header padded to 8, contiguous offsets, larger dtype first then by name
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        assertEquals("pt", header.get("__metadata__").get("format").asText());
        assertEquals(0, header.get("bn.num_batches_tracked").get("data_offsets").get(0).asLong());
        assertEquals(8, header.get("a.bias").get("data_offsets").get(0).asLong());
        assertEquals(20, header.get("empty").get("data_offsets").get(0).asLong());
        assertEquals(20, header.get("features.0.weight").get("data_offsets").get(0).asLong());
        assertEquals(8 + n + 8 + 12 + 24, bytes.length);
        assertEquals(1.0f, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat((int) (8 + n + 20)));
    }

    @Test void overwritesAtomicallyAndLeavesNoTempFiles() throws IOException {
        Path f = tmp.resolve("sub/dir/x.safetensors");
        Safetensors.write(f, Map.of("w", HostTensor.f32(new int[] {2}, new float[] {1, 2})), Map.of());
        Safetensors.write(f, Map.of("w", HostTensor.f32(new int[] {3}, new float[] {4, 5, 6})), null);
        Safetensors.Loaded l = Safetensors.read(f);
        assertArrayEquals(new float[] {4, 5, 6}, l.tensors().get("w").data());
        assertTrue(l.metadata().isEmpty());
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "only the final file remains");
        }
    }

    @Test void largeTensorSpansWriteChunks() {
        float[] big = new float[700_000];
        for (int i = 0; i < big.length; i++) big[i] = i * 0.5f - 3;
        Path f = tmp.resolve("big.safetensors");
        Safetensors.write(f, Map.of("big", HostTensor.f32(new int[] {700, 1000}, big)), Map.of());
        assertArrayEquals(big, Safetensors.read(f).tensors().get("big").data());
    }

    @Test void readsOtherDtypesFromCraftedBytes() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(8 * 2 + 4 * 2 + 2 * 4 + 2 * 2 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        d.putLong(-3).putLong(1L << 40);                               // I64 [0,16)
        d.putInt(7).putInt(-8);                                        // I32 [16,24)
        d.putShort((short) 0x3C00).putShort((short) 0xC000)            // F16 1, -2, 65504, 2^-24  [24,32)
         .putShort((short) 0x7BFF).putShort((short) 0x0001);
        d.putShort((short) 0x3F80).putShort((short) 0xC0A0);           // BF16 1, -5  [32,36)
        d.putDouble(0.1);                                              // F64 [36,44)
        d.putFloat(2.5f);                                              // F32 [44,48)
        String header = "{\"i64\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"i32\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[16,24]},"
                + "\"f16\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[24,32]},"
                + "\"bf16\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[32,36]},"
                + "\"f64\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[36,44]},"
                + "\"f32\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[44,48]}}";
        Path f = craft(tmp.resolve("torch.safetensors"), header, d.array());
        Map<String, HostTensor> t = Safetensors.read(f).tensors();
        assertArrayEquals(new float[] {-3, 1L << 40}, t.get("i64").data());
        assertArrayEquals(new float[] {7, -8}, t.get("i32").data());
        assertArrayEquals(new float[] {1, -2, 65504, 0x1p-24f}, t.get("f16").data());
        assertArrayEquals(new int[] {2, 2}, t.get("f16").shape());
        assertArrayEquals(new float[] {1, -5}, t.get("bf16").data());
        assertEquals(0.1f, t.get("f64").data()[0]);
        assertEquals(0, t.get("f64").shape().length);
        assertEquals("F64", t.get("f64").dtype());
        assertEquals(2.5f, t.get("f32").data()[0]);
    }

    @Test void writesOtherDtypesToo() {
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put("h", new HostTensor("F16", new int[] {4}, new float[] {1, -2.5f, 65504, 0x1p-24f}));
        in.put("b", new HostTensor("BF16", new int[] {2}, new float[] {1, -5}));
        in.put("d", new HostTensor("F64", new int[] {1}, new float[] {0.1f}));
        in.put("i", new HostTensor("I32", new int[] {2}, new float[] {-7, 100000}));
        Path f = tmp.resolve("mixed.safetensors");
        Safetensors.write(f, in, Map.of());
        assertEquals(in, Safetensors.read(f).tensors());
    }

    @Test void halfPrecisionConversionsRound() {
        assertEquals(1f, DType.halfToFloat(DType.floatToHalf(1f)));
        assertEquals((short) 0x3C00, DType.floatToHalf(1f));
        assertEquals((short) 0x7C00, DType.floatToHalf(1e6f));
        assertEquals((short) 0x3C00, DType.floatToHalf(1f + 0x1p-12f));     // below half an ulp (2^-10)
        assertEquals((short) 0x3C00, DType.floatToHalf(1f + 0x1p-11f));     // halfway: to even (down)
        assertEquals((short) 0x3C02, DType.floatToHalf(1f + 3 * 0x1p-11f)); // halfway: to even (up)
        assertEquals((short) 0x3C01, DType.floatToHalf(1f + 0x1p-10f));
        assertTrue(Float.isNaN(DType.halfToFloat(DType.floatToHalf(Float.NaN))));
        for (int bits = 0; bits < 0x7C00; bits += 7) // every finite half survives half -> float -> half
            assertEquals((short) bits, DType.floatToHalf(DType.halfToFloat((short) bits)), "half bits " + bits);
        assertEquals((short) 0x3F80, DType.floatToBf16(1f));
    }
}
