package org.reaper.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.reaper.ReaperException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes
 * of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}} padded
 * with spaces to a multiple of 8, then the little-endian tensor bytes, offsets relative to the end of
 * the header. Files written here store the tensors contiguously, ordered as the reference
 * implementation does (larger dtypes first, so each tensor is aligned to its element size, then by
 * name), with the header padded so the data starts 8-aligned, and a CRC-32C per tensor in the metadata
 * ({@link TensorChecksums}) that every read verifies when present; they are replaced atomically
 * ({@link AtomicFile}, with fsync) so a crash never leaves half a file.
 */
public final class Safetensors {
    /** Largest header accepted on read (the reference implementation uses the same limit). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Loaded(Map<String, HostTensor> tensors, Map<String, String> metadata) {}

    private Safetensors() {}

    public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata) {
        Map<String, HostTensor> sorted = inFileOrder(tensors);
        if (sorted.containsKey(SafetensorsHeader.METADATA))
            throw new IllegalArgumentException("a tensor cannot be named " + SafetensorsHeader.METADATA);
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (var e : sorted.entrySet()) bytes.put(e.getKey(), encode(e.getKey(), e.getValue()));
        Map<String, String> meta = new LinkedHashMap<>(metadata == null ? Map.of() : metadata);
        meta.put(TensorChecksums.KEY, TensorChecksums.of(bytes));
        byte[] header = headerBytes(sorted, meta);
        AtomicFile.write(file, ch -> {
            writeFully(ch, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip());
            writeFully(ch, ByteBuffer.wrap(header));
            for (byte[] b : bytes.values()) writeFully(ch, ByteBuffer.wrap(b));
        }, true);
    }

    private static byte[] encode(String name, HostTensor t) {
        DType dtype = DType.parse(t.dtype(), "tensor '" + name + "'");
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(t.numel(), dtype.bytes)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : t.data()) dtype.write(buf, v);
        return buf.array();
    }

    public static Loaded read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw SafetensorsHeader.bad(file, "only " + size + " bytes, shorter than the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 0 || headerLen > MAX_HEADER_BYTES)
                throw SafetensorsHeader.bad(file, "header length " + Long.toUnsignedString(headerLen)
                        + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
            if (headerLen > size - 8)
                throw SafetensorsHeader.bad(file, "header length " + headerLen + " is larger than the "
                        + (size - 8) + " bytes after it (truncated file?)");
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            long dataStart = 8 + headerLen, dataBytes = size - dataStart;
            if (dataBytes > Integer.MAX_VALUE)
                throw new ReaperException(file + " holds " + dataBytes + " bytes of tensors; Reaper reads files up to 2 GiB");
            SafetensorsHeader header = SafetensorsHeader.parse(file, headerBuf.array(), dataBytes);
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            if (dataBytes > 0) {
                MappedByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart, dataBytes);
                data.order(ByteOrder.LITTLE_ENDIAN);
                TensorChecksums.verify(file, header.metadata.get(TensorChecksums.KEY), header.entries, data);
                for (SafetensorsHeader.Entry e : header.entries) tensors.put(e.name(), decode(e, data));
            } else {
                for (SafetensorsHeader.Entry e : header.entries) tensors.put(e.name(), new HostTensor(e.dtype().name(), e.shape(), new float[0]));
            }
            Map<String, String> metadata = new LinkedHashMap<>(header.metadata);
            metadata.remove(TensorChecksums.KEY);
            return new Loaded(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new ReaperException(file + " does not exist");
        } catch (IOException e) {
            throw new ReaperException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static HostTensor decode(SafetensorsHeader.Entry e, ByteBuffer data) {
        int n = (int) ((e.end() - e.begin()) / e.dtype().bytes);
        float[] values = new float[n];
        if (e.dtype() == DType.F32) {
            data.slice((int) e.begin(), n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            int at = (int) e.begin(), step = e.dtype().bytes;
            for (int i = 0; i < n; i++, at += step) values[i] = e.dtype().read(data, at);
        }
        return new HostTensor(e.dtype().name(), e.shape(), values);
    }

    private static Map<String, HostTensor> inFileOrder(Map<String, HostTensor> tensors) {
        List<Map.Entry<String, HostTensor>> list = new java.util.ArrayList<>(tensors.entrySet());
        list.sort(Comparator.<Map.Entry<String, HostTensor>>comparingInt(e -> -DType.parse(e.getValue().dtype(), "tensor '" + e.getKey() + "'").bytes)
                .thenComparing(Map.Entry::getKey));
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> e : list) out.put(e.getKey(), e.getValue());
        return out;
    }

    private static byte[] headerBytes(Map<String, HostTensor> sorted, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : sorted.entrySet()) {
            HostTensor t = e.getValue();
            long bytes = (long) t.numel() * DType.parse(t.dtype(), "tensor '" + e.getKey() + "'").bytes;
            ObjectNode node = root.putObject(e.getKey());
            node.put("dtype", t.dtype());
            ArrayNode shape = node.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) out[i] = ' ';
        return out;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, position);
            if (n < 0) throw new IOException("unexpected end of file");
            position += n;
        }
    }

}
