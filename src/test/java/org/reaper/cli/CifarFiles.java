package org.reaper.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tiny CIFAR-10 binary folder (one training batch, one test batch) for tests that need --data. */
final class CifarFiles {
    private CifarFiles() {}

    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("data_batch_1.bin"), records(96, 1));
        Files.write(dir.resolve("test_batch.bin"), records(32, 2));
        return dir;
    }

    private static byte[] records(int n, int tag) {
        byte[] b = new byte[n * 3073];
        for (int r = 0; r < n; r++) {
            b[r * 3073] = (byte) (r % 10);
            for (int p = 0; p < 3072; p++) b[r * 3073 + 1 + p] = (byte) (tag * 31 + r * 7 + p);
        }
        return b;
    }
}
