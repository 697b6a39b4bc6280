package org.reaper.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.ReaperException;

/**
 * Downsampled ImageNet in its published .npz layout (written here as np.savez and np.savez_compressed would:
 * 'data' N x 3072 uint8, 'labels' int64 1..1000), pixels from the CIFAR sample.
 */
class DownsampledImageNetTest {
    static byte[] npy(String dtype, long[] shape, byte[] data) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(d).append(", ");
        String header = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + dims.toString().replaceAll(", $", shape.length == 1 ? "," : "") + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    static void npz(Path file, boolean compressed, byte[] pixels, long[] labels, int side) throws Exception {
        int n = labels.length;
        ByteBuffer l = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : labels) l.putLong(v);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "data.npy", npy("|u1", new long[] {n, 3L * side * side}, pixels), compressed);
            put(zip, "labels.npy", npy("<i8", new long[] {n}, l.array()), compressed);
            put(zip, "mean.npy", npy("<f8", new long[] {3L * side * side}, new byte[8 * 3 * side * side]), compressed);   // float64, as NumPy writes it
        }
    }

    static void put(ZipOutputStream zip, String name, byte[] bytes, boolean compressed) throws Exception {
        ZipEntry e = new ZipEntry(name);
        if (!compressed) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            e.setMethod(ZipEntry.STORED);
            e.setSize(bytes.length);
            e.setCompressedSize(bytes.length);
            e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    @Test void readsStoredAndCompressedFilesInBatchOrder(@TempDir Path dir) throws Exception {
        ImageDataset cifar = TestImages.cifar();
        int per = 5;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Path sub = Files.createDirectories(dir.resolve("Imagenet32_train_npz"));
        for (int batch = 1; batch <= 2; batch++) {
            byte[] px = new byte[per * Cifar.IMAGE_BYTES];
            long[] labels = new long[per];
            for (int i = 0; i < per; i++) {
                cifar.copyImage((batch - 1) * per + i, px, i * Cifar.IMAGE_BYTES);
                labels[i] = batch == 1 ? 1 + i : 996 + i;   // 1-based, 1..1000
            }
            all.write(px);
            npz(sub.resolve("train_data_batch_" + (batch == 1 ? 10 : 2) + ".npz"), batch == 1, px, labels, 32);
        }
        npz(dir.resolve("val_data.npz"), false, new byte[3 * Cifar.IMAGE_BYTES], new long[] {7, 8, 9}, 32);
        assertTrue(DownsampledImageNet.looksLike(dir));
        ImageDataset train = DownsampledImageNet.read(dir, true);
        assertEquals(2 * per, train.size());
        assertEquals(32, train.height());
        assertEquals(1000, train.numClasses());
        // batch 2 comes before batch 10 (numeric order), so the second file written is first
        byte[] got = new byte[Cifar.IMAGE_BYTES], want = new byte[Cifar.IMAGE_BYTES];
        train.copyImage(0, got, 0);
        cifar.copyImage(per, want, 0);
        assertArrayEquals(want, got);
        assertEquals(995, train.label(0));
        assertEquals(0, train.label(per));
        assertEquals(3, DownsampledImageNet.read(dir, false).size());
        assertEquals(6, DownsampledImageNet.read(dir, false).label(0));
    }

    @Test void badLabelsAndShapesAreNamed(@TempDir Path dir) throws Exception {
        npz(dir.resolve("val_data.npz"), false, new byte[2 * 3 * 64 * 64], new long[] {0, 5}, 64);
        ReaperException e = assertThrows(ReaperException.class, () -> DownsampledImageNet.read(dir, false));
        assertTrue(e.getMessage().contains("val_data.npz") && e.getMessage().contains("outside 1..1000"), e.getMessage());
        Files.write(dir.resolve("val_data.npz"), new byte[] {1, 2, 3});
        ReaperException z = assertThrows(ReaperException.class, () -> DownsampledImageNet.read(dir, false));
        assertTrue(z.getMessage().contains("val_data.npz"), z.getMessage());
    }
}
