package org.reaper.data;

import org.reaper.ReaperException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Arrays of a NumPy {@code .npz} file (a zip of {@code .npy} files). A stored (uncompressed, {@code np.savez})
 * member is memory-mapped in place; a deflated one ({@code np.savez_compressed}) is inflated onto the heap.
 * Only C-order arrays of little-endian integers are read (downsampled ImageNet's 'data' and 'labels'); other
 * members are skipped.
 */
final class Npz {
    /** An array: its dtype code (e.g. "|u1", "<i8"), shape, and bytes positioned at its first element. */
    record Array(String dtype, long[] shape, ByteBuffer data) {
        long count() { long n = 1; for (long d : shape) n *= d; return n; }
        int itemSize() { return Integer.parseInt(dtype.substring(2)); }

        /** Element {@code i} of an integer array, as a long. */
        long integer(long i) {
            int size = itemSize();
            int at = Math.toIntExact(i * size);
            boolean unsigned = dtype.charAt(1) == 'u';
            return switch (size) {
                case 1 -> unsigned ? data.get(at) & 0xFF : data.get(at);
                case 2 -> unsigned ? data.getShort(at) & 0xFFFF : data.getShort(at);
                case 4 -> unsigned ? data.getInt(at) & 0xFFFFFFFFL : data.getInt(at);
                case 8 -> data.getLong(at);
                default -> throw new IllegalStateException(dtype);
            };
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'"), SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)"),
            FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

    private Npz() {}

    static Map<String, Array> read(Path file) {
        Map<String, Array> out = new HashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile()); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                if (!e.getName().endsWith(".npy")) continue;
                ByteBuffer bytes = e.getMethod() == ZipEntry.STORED ? mapStored(ch, zip, e, file) : inflate(zip, e, file);
                Array a = parse(bytes, file + ":" + e.getName());
                if (a != null) out.put(e.getName().substring(0, e.getName().length() - 4), a);
            }
        } catch (IOException e) {
            throw new ReaperException("cannot read " + file + " as a .npz file: " + e.getMessage());
        }
        return out;
    }

    /** The member's bytes, mapped: its data starts after the local header (30 bytes + name + extra). */
    private static ByteBuffer mapStored(FileChannel ch, ZipFile zip, ZipEntry e, Path file) throws IOException {
        long headerAt = localHeaderOffset(ch, e);
        ByteBuffer h = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(h, headerAt);
        if (h.getInt(0) != 0x04034b50) throw new ReaperException(file + ": zip member " + e.getName() + " has no local header");
        long start = headerAt + 30 + (h.getShort(26) & 0xFFFF) + (h.getShort(28) & 0xFFFF);
        return ch.map(FileChannel.MapMode.READ_ONLY, start, e.getSize());
    }

    /** Finds the member's local header by walking the central directory (ZipEntry does not expose it). */
    private static long localHeaderOffset(FileChannel ch, ZipEntry entry) throws IOException {
        long size = ch.size();
        int tail = (int) Math.min(size, 65_557);
        ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(end, size - tail);
        int eocd = -1;
        for (int i = tail - 22; i >= 0; i--) if (end.getInt(i) == 0x06054b50) { eocd = i; break; }
        if (eocd < 0) throw new IOException("no end of central directory");
        long cdOffset = end.getInt(eocd + 16) & 0xFFFFFFFFL;
        int entries = end.getShort(eocd + 10) & 0xFFFF;
        if (cdOffset == 0xFFFFFFFFL || entries == 0xFFFF) cdOffset = zip64CentralDirectory(ch, size - tail + eocd);
        ByteBuffer cd = ch.map(FileChannel.MapMode.READ_ONLY, cdOffset, size - cdOffset).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p + 46 <= cd.limit() && cd.getInt(p) == 0x02014b50; ) {
            int nameLen = cd.getShort(p + 28) & 0xFFFF, extraLen = cd.getShort(p + 30) & 0xFFFF, commentLen = cd.getShort(p + 32) & 0xFFFF;
            byte[] name = new byte[nameLen];
            cd.get(p + 46, name);
            long offset = cd.getInt(p + 42) & 0xFFFFFFFFL;
            if (new String(name, StandardCharsets.UTF_8).equals(entry.getName())) {
                if (offset == 0xFFFFFFFFL) offset = zip64Offset(cd, p + 46 + nameLen, extraLen, cd.getInt(p + 20) == -1, cd.getInt(p + 24) == -1);
                return offset;
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        throw new IOException("member " + entry.getName() + " not in the central directory");
    }

    private static long zip64CentralDirectory(FileChannel ch, long eocdAt) throws IOException {
        ByteBuffer loc = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(loc, eocdAt - 20);
        if (loc.getInt(0) != 0x07064b50) throw new IOException("zip64 locator missing");
        ByteBuffer rec = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(rec, loc.getLong(8));
        return rec.getLong(48);
    }

    /** The local header offset from a zip64 extra field (after the sizes it also holds when those overflowed). */
    private static long zip64Offset(ByteBuffer cd, int at, int len, boolean compressedOverflow, boolean sizeOverflow) throws IOException {
        for (int p = at; p + 4 <= at + len; ) {
            int id = cd.getShort(p) & 0xFFFF, size = cd.getShort(p + 2) & 0xFFFF;
            if (id == 1) {
                int q = p + 4 + (sizeOverflow ? 8 : 0) + (compressedOverflow ? 8 : 0);
                return cd.getLong(q);
            }
            p += 4 + size;
        }
        throw new IOException("zip64 offset missing");
    }

    private static ByteBuffer inflate(ZipFile zip, ZipEntry e, Path file) throws IOException {
        if (e.getSize() > Integer.MAX_VALUE - 64)
            throw new ReaperException(file + ": compressed member " + e.getName() + " is over 2 GB; re-save it with np.savez (uncompressed)");
        try (InputStream in = zip.getInputStream(e)) {
            return ByteBuffer.wrap(in.readAllBytes());
        }
    }

    /** The array, or null when it is not a C-order little-endian integer array. */
    static Array parse(ByteBuffer b, String where) {
        b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < 10 || (b.get(0) & 0xFF) != 0x93 || b.get(1) != 'N' || b.get(2) != 'U')
            throw new ReaperException(where + " is not a .npy array");
        int major = b.get(6);
        int headerLen = major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLen;
        byte[] header = new byte[headerLen];
        b.get(major == 1 ? 10 : 12, header);
        String h = new String(header, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(h), s = SHAPE.matcher(h), f = FORTRAN.matcher(h);
        if (!d.find() || !s.find() || !f.find()) throw new ReaperException(where + ": unreadable .npy header " + h.strip());
        String dtype = d.group(1);
        // other members (the published files' float64 'mean', say) are not needed: left out rather than refused
        if (f.group(1).equals("True") || !dtype.matches("[<|][iu][1248]")) return null;
        String[] dims = s.group(1).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::strip).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        Array a = new Array(dtype, shape, b.position(start).slice().order(ByteOrder.LITTLE_ENDIAN));
        if ((long) a.data().limit() < a.count() * a.itemSize()) throw new ReaperException(where + " is truncated");
        return a;
    }
}
