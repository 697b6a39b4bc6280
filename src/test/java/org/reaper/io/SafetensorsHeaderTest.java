package org.reaper.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.ReaperException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Each malformed header is rejected with a clear one-line message and without allocating what it claims. */
class SafetensorsHeaderTest {
    @TempDir Path tmp;

    private String rejects(String header, int dataBytes) throws IOException {
        Path f = SafetensorsTest.craft(tmp.resolve("bad.safetensors"), header, new byte[dataBytes]);
        return rejects(f);
    }

    private static String rejects(Path f) {
        ReaperException e = assertThrows(ReaperException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f + " is not a valid safetensors file: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private Path withLength(long headerLength, int totalBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(totalBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength);
        return Files.write(tmp.resolve("len.safetensors"), b.array());
    }

    @Test void hugeHeaderLengths() throws IOException {
        long before = usedHeap();
        assertTrue(rejects(withLength(Long.MAX_VALUE, 64)).contains("exceeds the 100000000-byte limit"));
        assertTrue(rejects(withLength(-1, 64)).contains("18446744073709551615 exceeds"));
        assertTrue(rejects(withLength(50_000_000, 64)).contains("header length 50000000 is larger than the 56 bytes after it"));
        assertTrue(usedHeap() - before < 40_000_000, "no allocation of the claimed size");
        // a (sparse) file really larger than the limit still has its header refused
        Path big = tmp.resolve("sparse.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(150_000_100L);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(150_000_000L).array());
        }
        assertTrue(rejects(big).contains("exceeds the 100000000-byte limit"));
        assertTrue(rejects(Files.write(tmp.resolve("tiny.safetensors"), new byte[5])).contains("only 5 bytes"));
    }

    @Test void badJson() throws IOException {
        assertTrue(rejects("{\"a\": {\"dtype\": ", 0).contains("header is not valid JSON"));
        assertTrue(rejects("[1, 2]", 0).contains("header is not a JSON object"));
        assertTrue(rejects("{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 4, 8) + "}", 8).contains("not valid JSON"),
                "duplicate names are rejected");
        assertTrue(rejects("{\"__metadata__\":{\"k\":1}}", 0).contains("__metadata__ value of 'k' is not a string"));
        assertTrue(rejects("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4).contains("tensor 'a' has no dtype"));
        assertTrue(rejects("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4).contains("tensor 'a' has no shape"));
        assertTrue(rejects("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4).contains("needs data_offsets"));
    }

    @Test void unknownDtype() throws IOException {
        String m = rejects("{" + t("w", "Q7", "[1]", 0, 4) + "}", 4);
        assertTrue(m.contains("unsupported dtype Q7 for tensor 'w'"), m);
    }

    @Test void offsetsOutOfRange() throws IOException {
        String m = rejects("{" + t("w", "F32", "[4]", 0, 16) + "}", 8);
        assertTrue(m.contains("past the end of the 8-byte data section"), m);
        m = rejects("{" + t("w", "F32", "[1]", 8, 4) + "}", 8);
        assertTrue(m.contains("end before begin"), m);
        m = rejects("{" + t("w", "F32", "[1]", -4, 0) + "}", 8);
        assertTrue(m.contains("bad data offset -4"), m);
    }

    @Test void overlappingGapsAndUncoveredBytes() throws IOException {
        String m = rejects("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}", 12);
        assertTrue(m.contains("tensor 'b' at bytes [4, 12) overlaps"), m);
        m = rejects("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 12, 20) + "}", 20);
        assertTrue(m.contains("bytes [8, 12) of the data section belong to no tensor"), m);
        m = rejects("{" + t("a", "F32", "[2]", 0, 8) + "}", 16);
        assertTrue(m.contains("the data section has 16 bytes but the tensors cover 8"), m);
        m = rejects("{" + t("a", "F32", "[2]", 4, 12) + "}", 12);
        assertTrue(m.contains("bytes [0, 4)"), m);
    }

    @Test void sizeMustMatchShapeTimesDtype() throws IOException {
        String m = rejects("{" + t("w", "F32", "[3]", 0, 8) + "}", 8);
        assertTrue(m.contains("tensor 'w' spans 8 bytes but its shape [3] x F32 needs 12"), m);
        m = rejects("{" + t("w", "F16", "[2,2]", 0, 16) + "}", 16);
        assertTrue(m.contains("needs 8"), m);
        long before = usedHeap();
        m = rejects("{" + t("w", "F32", "[2147483647,2147483647,2147483647]", 0, 8) + "}", 8);
        assertTrue(m.contains("needs more than 2^63"), m);
        assertTrue(usedHeap() - before < 40_000_000, "no allocation of the claimed size");
    }

    @Test void negativeAndNonIntegerDims() throws IOException {
        assertTrue(rejects("{" + t("w", "F32", "[-1]", 0, 4) + "}", 4).contains("negative dimension -1"));
        assertTrue(rejects("{" + t("w", "F32", "[1.5]", 0, 4) + "}", 4).contains("non-integer dimension"));
    }

    @Test void missingFile() {
        ReaperException e = assertThrows(ReaperException.class, () -> Safetensors.read(tmp.resolve("none.safetensors")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
