package org.reaper.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.io.AtomicFile;

/** The run files' JSON: one shared mapper, NaN/Inf written as null, atomic file replacement. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private Json() {}

    /** One line of JSON (for .jsonl files and safetensors metadata). */
    public static String compact(Object value) {
        try {
            return COMPACT.writeValueAsString(sanitize(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String pretty(Object value) {
        try {
            return MAPPER.writeValueAsString(sanitize(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Map<String, Object> parseMap(String json, String what) {
        try {
            return COMPACT.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new ReaperException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static Map<String, Object> readMap(Path file) {
        try {
            return parseMap(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new ReaperException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static <T> T convert(Object value, Class<T> type) { return COMPACT.convertValue(value, type); }

    /** Writes {@code text} to {@code file} through a temp file and a rename, so readers never see half a file. */
    public static void writeAtomically(Path file, String text) { AtomicFile.write(file, text); }

    /** Replaces non-finite doubles/floats by null (JSON has no NaN), recursively through maps and lists. */
    static Object sanitize(Object v) {
        if (v instanceof Double d && !Double.isFinite(d)) return null;
        if (v instanceof Float f && !Float.isFinite(f)) return null;
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (var e : m.entrySet()) out.put(e.getKey(), sanitize(e.getValue()));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(sanitize(o));
            return out;
        }
        return v;
    }
}
