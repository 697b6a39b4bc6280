package org.reaper.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Crafted CIFAR files for tests: record r of a file gets pixel bytes derived from (tag, r). */
final class CifarTestFiles {
    static final Path SUBSET = Path.of("../shared/datasets/cifar-10-subset");
    static final Path SAMPLE = Path.of("datasets/cifar-10-sample");

    private CifarTestFiles() {}

    /** The pixel value a crafted record carries at byte {@code p}. */
    static byte pixel(int tag, int record, int p) { return (byte) (tag * 31 + record * 7 + p); }

    /** Writes a CIFAR-10 file with the given labels (any byte value, to craft bad ones). */
    static Path cifar10File(Path dir, String name, int tag, int... labels) throws IOException {
        byte[] b = new byte[labels.length * Cifar.CIFAR10_RECORD];
        for (int r = 0; r < labels.length; r++) {
            int at = r * Cifar.CIFAR10_RECORD;
            b[at] = (byte) labels[r];
            for (int p = 0; p < Cifar.IMAGE_BYTES; p++) b[at + 1 + p] = pixel(tag, r, p);
        }
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), b);
    }

    /** Writes a CIFAR-100 file: one (coarse, fine) pair per record. */
    static Path cifar100File(Path dir, String name, int tag, int[] coarse, int[] fine) throws IOException {
        byte[] b = new byte[fine.length * Cifar.CIFAR100_RECORD];
        for (int r = 0; r < fine.length; r++) {
            int at = r * Cifar.CIFAR100_RECORD;
            b[at] = (byte) coarse[r];
            b[at + 1] = (byte) fine[r];
            for (int p = 0; p < Cifar.IMAGE_BYTES; p++) b[at + 2 + p] = pixel(tag, r, p);
        }
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), b);
    }

    static boolean subsetPresent() {
        if (Files.isRegularFile(SUBSET.resolve("data_batch_1.bin"))) return true;
        System.out.println("SKIPPED: " + SUBSET.toAbsolutePath().normalize()
                + " is absent (a fresh clone has no ../shared); the reader tests on the real subset need it");
        return false;
    }
}
