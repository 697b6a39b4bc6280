package org.reaper.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The readers on the real CIFAR-10 files of ../shared/datasets/cifar-10-subset and the committed sample. */
class CifarRealFilesTest {
    /** Per-class label counts of the subset, counted once from the files' label bytes with a separate script. */
    private static final int[] TRAIN_COUNTS = {517, 524, 490, 493, 537, 475, 503, 516, 529, 501};
    private static final int[] TEST_COUNTS = {105, 93, 100, 104, 92, 87, 114, 102, 110, 110};

    @Test void subsetRecordCountsAndLabelCounts() throws IOException {
        assumeTrue(CifarTestFiles.subsetPresent());
        ImageDataset train = Cifar.cifar10(CifarTestFiles.SUBSET, true);
        ImageDataset test = Cifar.cifar10(CifarTestFiles.SUBSET, false);
        assertEquals(5085, train.size());
        assertEquals(1017, test.size());
        assertEquals(10, train.numClasses());
        assertEquals(3, train.channels());
        assertEquals(32, train.height());
        assertEquals(32, train.width());
        assertArrayEquals(TRAIN_COUNTS, train.labelCounts());
        assertArrayEquals(TEST_COUNTS, test.labelCounts());
        assertEquals(5085, java.util.Arrays.stream(train.labelCounts()).sum());

        // independent count straight from the label bytes
        int[] byteCounts = new int[10];
        for (int k = 1; k <= 5; k++) {
            byte[] b = Files.readAllBytes(CifarTestFiles.SUBSET.resolve("data_batch_" + k + ".bin"));
            for (int at = 0; at < b.length; at += 3073) byteCounts[b[at]]++;
        }
        assertArrayEquals(byteCounts, train.labelCounts());
        assertTrue(train.description().startsWith("CIFAR-10 train, 5,085 images from "), train.description());
    }

    @Test void firstRecordMatchesFileBytes() throws IOException {
        assumeTrue(CifarTestFiles.subsetPresent());
        ImageDataset train = Cifar.cifar10(CifarTestFiles.SUBSET, true);
        byte[] file = Files.readAllBytes(CifarTestFiles.SUBSET.resolve("data_batch_1.bin"));
        byte[] img = new byte[3072];
        train.copyImage(0, img, 0);
        assertEquals(file[0], train.label(0));
        assertEquals(6, train.label(0)); // the official first training image is a frog
        assertEquals(59, img[0] & 0xFF);  // red plane starts 59, 43, 50, 68
        assertEquals(43, img[1] & 0xFF);
        assertEquals(62, img[1024] & 0xFF); // green plane
        assertEquals(63, img[2048] & 0xFF); // blue plane
        for (int p = 0; p < 3072; p++) assertEquals(file[1 + p], img[p], "pixel byte " + p);

        // a record in the third file: global index 2*1017 + 5
        byte[] third = Files.readAllBytes(CifarTestFiles.SUBSET.resolve("data_batch_3.bin"));
        train.copyImage(2 * 1017 + 5, img, 0);
        assertEquals(third[5 * 3073], train.label(2 * 1017 + 5));
        for (int p = 0; p < 3072; p++) assertEquals(third[5 * 3073 + 1 + p], img[p]);
    }

    @Test void statisticsAreThoseOfCifar10() {
        assumeTrue(CifarTestFiles.subsetPresent());
        Normalization n = Normalization.of(Cifar.cifar10(CifarTestFiles.SUBSET, true));
        Normalization standard = Normalization.cifar10Standard();
        for (int c = 0; c < 3; c++) {
            assertEquals(standard.mean()[c], n.mean()[c], 0.02, "mean of channel " + c);
            assertEquals(standard.std()[c], n.std()[c], 0.02, "std of channel " + c);
        }
    }

    @Test void committedSampleLoads() throws IOException {
        ImageDataset train = Cifar.cifar10(CifarTestFiles.SAMPLE, true);
        ImageDataset test = Cifar.cifar10(CifarTestFiles.SAMPLE, false);
        assertEquals(2034, train.size());
        assertEquals(1017, test.size());
        assertArrayEquals(new int[] {208, 214, 185, 193, 213, 182, 207, 220, 219, 193}, train.labelCounts());
        assertArrayEquals(TEST_COUNTS, test.labelCounts());
        byte[] file = Files.readAllBytes(CifarTestFiles.SAMPLE.resolve("data_batch_2.bin"));
        byte[] img = new byte[3072];
        train.copyImage(1017 + 3, img, 0);
        assertEquals(file[3 * 3073], train.label(1017 + 3));
        for (int p = 0; p < 3072; p++) assertEquals(file[3 * 3073 + 1 + p], img[p]);
        if (Files.isRegularFile(CifarTestFiles.SUBSET.resolve("data_batch_1.bin")))
            assertArrayEquals(Files.readAllBytes(CifarTestFiles.SUBSET.resolve("test_batch.bin")),
                    Files.readAllBytes(CifarTestFiles.SAMPLE.resolve("test_batch.bin")), "the sample is a copy of the subset");
    }

    @Test void preferredDirFallsBackToSample() {
        Path datasets = Path.of("datasets");
        Path chosen = Cifar.preferredCifar10Dir(datasets);
        if (Files.isRegularFile(datasets.resolve("cifar-10-batches-bin/data_batch_1.bin")))
            assertEquals(datasets.resolve("cifar-10-batches-bin"), chosen);
        else
            assertEquals(datasets.resolve("cifar-10-sample"), chosen);
    }
}
