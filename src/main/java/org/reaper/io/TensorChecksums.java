package org.reaper.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.reaper.ReaperException;

/**
 * A CRC-32C of every tensor's bytes, kept as one JSON object in the safetensors metadata under {@link #KEY}
 * (other readers ignore it), so a file damaged after it was written is reported as such instead of loading.
 */
final class TensorChecksums {
    static final String KEY = "reaper.crc32c";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TensorChecksums() {}

    static String of(Map<String, byte[]> tensorBytes) {
        Map<String, String> sums = new TreeMap<>();
        tensorBytes.forEach((name, bytes) -> {
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            sums.put(name, hex(crc.getValue()));
        });
        try {
            return JSON.writeValueAsString(sums);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks every entry against the stored sums; files without them (foreign files) pass unchecked. */
    static void verify(Path file, String stored, List<SafetensorsHeader.Entry> entries, ByteBuffer data) {
        if (stored == null) return;
        Map<String, String> sums;
        try {
            sums = JSON.readValue(stored, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw damaged(file, "its checksum list (metadata " + KEY + ") is not readable");
        }
        for (SafetensorsHeader.Entry e : entries) {
            String want = sums.get(e.name());
            if (want == null) throw damaged(file, "tensor '" + e.name() + "' has no checksum");
            CRC32C crc = new CRC32C();
            crc.update(data.slice((int) e.begin(), (int) (e.end() - e.begin())));
            if (!hex(crc.getValue()).equals(want))
                throw damaged(file, "the bytes of tensor '" + e.name() + "' do not match the checksum written with them");
        }
    }

    private static ReaperException damaged(Path file, String what) {
        return new ReaperException(file + " is corrupt: " + what + " (the file changed after Reaper wrote it); "
                + "use an intact copy, or start the run again");
    }

    private static String hex(long v) { return String.format(Locale.ROOT, "%08x", v); }
}
