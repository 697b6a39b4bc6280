package org.reaper.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.backend.Backend;
import org.reaper.backend.cpu.CpuBackend;

/**
 * Issue 2's end-to-end check: c3-32-pool on the 5,085 real CIFAR-10 training images of ../shared/datasets/cifar-10-subset
 * reaches at least 45% test accuracy (1,017 test images) within 10 epochs (SGD momentum 0.9, lr 0.01, batch 128,
 * no augmentation). Stops as soon as the target is reached. The slow test of the suite (about a minute).
 */
class RealCifarTrainingTest {
    static final Path SUBSET = Path.of("..", "shared", "datasets", "cifar-10-subset");

    @TempDir Path tmp;

    @Test void c332PoolReaches45PercentWithinTenEpochs() {
        if (!Files.isRegularFile(SUBSET.resolve("data_batch_1.bin"))) {
            System.out.println("SKIPPED RealCifarTrainingTest: " + SUBSET.toAbsolutePath().normalize() + " is absent (only on the dev/CI machines)");
            Assumptions.assumeTrue(false, "real CIFAR-10 subset absent");
        }
        RunConfig c = new RunConfig();
        c.model = "c3-32-pool";
        c.data = SUBSET.toString();
        c.epochs = 10;
        c.batch = 128;
        c.lr = 0.01f;
        c.momentum = 0.9f;
        c.seed = 1;
        List<Double> accuracies = new ArrayList<>();
        try (Backend b = new CpuBackend()) {
            new TrainRun(c, tmp.resolve("run")).output(new PrintWriter(new StringWriter()), false).extra(new TrainListener() {
                @Override public void onEpochEnd(TrainContext ctx, EpochMetrics m) {
                    accuracies.add(m.testAccuracy());
                    System.out.println(ProgressPrinter.line(10, m));
                    if (m.testAccuracy() >= 0.45) ctx.requestStop();
                }
            }).run(b);
        }
        double best = accuracies.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        assertTrue(best >= 0.45, "best test accuracy " + best + " after " + accuracies.size() + " epochs: " + accuracies);
    }
}
