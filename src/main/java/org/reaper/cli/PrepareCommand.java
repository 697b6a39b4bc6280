package org.reaper.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.reaper.ReaperException;
import org.reaper.data.cache.DecodedCache;
import org.reaper.train.ImageData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code reaper prepare}: decode an image dataset once into a memory-mapped cache that {@code train --data} reads. */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode an image folder or Tiny-ImageNet once: every image resized so its shorter side is at most --size, "
                + "stored as uint8 in one memory-mapped file per split with an index. Train from it with --data CACHE.",
                "Resumable: run the same command again after an interruption. Images that do not decode are counted and skipped."})
public final class PrepareCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "An image folder (train/<class>, val/...) or Tiny-ImageNet.") Path data;
    @Option(names = "--size", paramLabel = "S", description = "Shorter side of the stored images (never enlarged; default ${DEFAULT-VALUE}, i.e. 224/0.875).") int size = 256;
    @Option(names = "--out", required = true, paramLabel = "CACHE", description = "A new or empty folder, or an unfinished cache of the same --data and --size.") Path out;
    @Option(names = "--threads", description = "Decode threads (default: all cores).") int threads = 0;

    @Override public Integer call() {
        PrintWriter pw = spec.commandLine().getOut();
        if (threads < 0) throw new ReaperException("--threads must be at least 0 (got " + threads + ")");
        if (!Files.isDirectory(data)) throw new ReaperException("--data " + data + ": no such folder");
        Path dir = data.toAbsolutePath().normalize();
        String kind = ImageData.detect(dir);
        if (kind == null || kind.equals(ImageData.DOWNSAMPLED) || kind.equals(ImageData.CACHE))
            throw new ReaperException("--data " + data + " is not an image folder (train/<class>/..., val/...) or Tiny-ImageNet"
                    + (kind == null ? "" : " but a " + kind + " dataset, which needs no decoding"));
        ImageData.Files files = ImageData.files(dir, kind);
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        List<DecodedCache.SplitReport> reports = DecodedCache.prepare(dir, kind, files.classes(), files.splits(), size,
                out.toAbsolutePath().normalize(), t, line -> { pw.println("prepare " + line); pw.flush(); });
        for (DecodedCache.SplitReport r : reports)
            pw.println(String.format(Locale.ROOT, "%s: %,d images written, %,d bad skipped%s, %.1f s, %.0f images/s decoded",
                    r.split(), r.written(), r.bad(), r.resumedFrom() > 0 ? ", resumed at image " + r.resumedFrom() : "", r.seconds(),
                    (r.written() + r.bad() - r.resumedFrom()) / Math.max(r.seconds(), 1e-9)));
        pw.println("cache ready: train with --data " + out);
        return 0;
    }
}
