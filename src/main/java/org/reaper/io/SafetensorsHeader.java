package org.reaper.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.reaper.ReaperException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates a safetensors JSON header: every entry has a known dtype, a shape of
 * non-negative dims and data_offsets [begin, end] with end - begin == numel x dtype size; sorted by
 * offset the entries tile the data section exactly (no gaps, no overlaps, nothing left over).
 * Nothing is allocated in proportion to the sizes the header claims.
 */
final class SafetensorsHeader {
    static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    final List<Entry> entries;          // in header order
    final Map<String, String> metadata;

    private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    static SafetensorsHeader parse(Path file, byte[] headerBytes, long dataBytes) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw bad(file, "header is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) throw bad(file, "header is not a JSON object");
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA)) readMetadata(file, field.getValue(), metadata);
            else entries.add(entry(file, field.getKey(), field.getValue(), dataBytes));
        }
        checkTiling(file, entries, dataBytes);
        return new SafetensorsHeader(entries, metadata);
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) throw bad(file, "__metadata__ is not an object of strings");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) throw bad(file, "__metadata__ value of '" + f.getKey() + "' is not a string");
            out.put(f.getKey(), f.getValue().textValue());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataBytes) {
        if (!node.isObject()) throw bad(file, "entry '" + name + "' is not an object");
        JsonNode dtypeNode = node.get("dtype"), shapeNode = node.get("shape"), offsetsNode = node.get("data_offsets");
        if (dtypeNode == null || !dtypeNode.isTextual()) throw bad(file, "tensor '" + name + "' has no dtype string");
        DType dtype;
        try {
            dtype = DType.parse(dtypeNode.textValue(), "tensor '" + name + "'");
        } catch (ReaperException e) {
            throw bad(file, e.getMessage());
        }
        if (shapeNode == null || !shapeNode.isArray()) throw bad(file, "tensor '" + name + "' has no shape array");
        if (shapeNode.size() > 64) throw bad(file, "tensor '" + name + "' has " + shapeNode.size() + " dimensions");
        int[] shape = new int[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong())
                throw bad(file, "tensor '" + name + "' has a non-integer dimension " + d);
            long v = d.longValue();
            if (v < 0) throw bad(file, "tensor '" + name + "' has a negative dimension " + v);
            if (v > Integer.MAX_VALUE) throw bad(file, "tensor '" + name + "' has a dimension " + v + " too large");
            shape[i] = (int) v;
            numel = multiplyOrMax(numel, v);
        }
        if (offsetsNode == null || !offsetsNode.isArray() || offsetsNode.size() != 2)
            throw bad(file, "tensor '" + name + "' needs data_offsets [begin, end]");
        long begin = offset(file, name, offsetsNode.get(0)), end = offset(file, name, offsetsNode.get(1));
        if (end < begin) throw bad(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] with end before begin");
        if (end > dataBytes)
            throw bad(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] past the end of the "
                    + dataBytes + "-byte data section (truncated file?)");
        long expected = multiplyOrMax(numel, dtype.bytes);
        if (end - begin != expected)
            throw bad(file, "tensor '" + name + "' spans " + (end - begin) + " bytes but its shape "
                    + java.util.Arrays.toString(shape) + " x " + dtype + " needs " + (expected == Long.MAX_VALUE ? "more than 2^63" : expected));
        if (numel > Integer.MAX_VALUE) throw bad(file, "tensor '" + name + "' has " + numel + " elements, more than Reaper can hold");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long offset(Path file, String name, JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0)
            throw bad(file, "tensor '" + name + "' has a bad data offset " + n);
        return n.longValue();
    }

    private static void checkTiling(Path file, List<Entry> entries, long dataBytes) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin < at)
                throw bad(file, "tensor '" + e.name + "' at bytes [" + e.begin + ", " + e.end + ") overlaps the tensor before it");
            if (e.begin > at)
                throw bad(file, "bytes [" + at + ", " + e.begin + ") of the data section belong to no tensor (before '" + e.name + "')");
            at = e.end;
        }
        if (at != dataBytes)
            throw bad(file, "the data section has " + dataBytes + " bytes but the tensors cover " + at);
    }

    private static long multiplyOrMax(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static ReaperException bad(Path file, String what) {
        return new ReaperException(file + " is not a valid safetensors file: " + what);
    }

    private static String firstLine(String s) {
        if (s == null) return "parse error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
