package org.reaper.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.backend.Backends;
import org.reaper.data.ImageDataset;
import org.reaper.data.Normalization;
import org.reaper.models.Model;
import org.reaper.models.Models;
import org.reaper.nn.InitScheme;
import org.reaper.rng.RandomStream;
import org.reaper.train.Checkpoints;
import org.reaper.train.EvalResult;
import org.reaper.train.Evaluator;
import org.reaper.train.Json;
import org.reaper.train.ModelState;
import org.reaper.train.RunConfig;
import org.reaper.train.RunFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code reaper eval}: accuracy and loss of a checkpoint on a dataset's test (or train) split. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint (a run's checkpoint.safetensors, or PyTorch weights with --model) on a dataset.")
public final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A .safetensors file, or a run folder.") Path checkpoint;
    @Option(names = "--data", paramLabel = "DIR", description = "CIFAR-10/100 binary folder (default: the checkpoint's dataset, else auto).") String data;
    @Option(names = "--dataset", paramLabel = "NAME", description = "auto, cifar10-sample, cifar10, cifar100, synthetic.") String dataset;
    @Option(names = "--model", paramLabel = "NAME", description = "Model (default: the one recorded in the checkpoint).") String model;
    @Option(names = "--split", paramLabel = "test|train", description = "Which split to evaluate (default ${DEFAULT-VALUE}).") String split = "test";
    @Option(names = "--limit", paramLabel = "N", description = "Only the first N images (0 = all).") int limit = 0;
    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).") int batch = 500;
    @Option(names = "--threads", description = "CPU threads (default: all cores).") int threads = 0;
    @Option(names = "--device", paramLabel = "cpu|cuda|cuda-emulated|auto", description = "Device (default ${DEFAULT-VALUE}).") String device = "cpu";
    @Option(names = "--json", description = "Print one JSON line instead of text.") boolean json;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!"test".equals(split) && !"train".equals(split)) throw new ReaperException("--split must be test or train (got '" + split + "')");
        if (limit < 0) throw new ReaperException("--limit must be >= 0 (got " + limit + ")");
        if (batch < 1) throw new ReaperException("--batch must be at least 1 (got " + batch + ")");
        if (threads < 0) throw new ReaperException("--threads must be at least 0 (got " + threads + ")");
        Path file = checkpoint.toFile().isDirectory() ? checkpoint.resolve(Checkpoints.FILE) : checkpoint;
        Checkpoints.Loaded ck = Checkpoints.read(file);
        RunConfig stored = Checkpoints.config(ck);
        String modelName = model != null ? model : ck.model();
        if (modelName == null)
            throw new ReaperException(file + " does not record its model (not written by 'reaper train'); pass --model NAME");
        RunConfig c = new RunConfig();
        c.data = data != null ? data : dataset == null && stored != null ? stored.data : null;
        c.dataset = dataset != null ? dataset : data == null && stored != null ? stored.dataset : null;
        boolean sameData = stored != null && data == null && dataset == null;
        if (sameData) {            // by default: the run's own splits (synthetic data also depends on them)
            c.trainLimit = stored.trainLimit;
            c.testLimit = stored.testLimit;
            c.val = stored.val;
        }
        if (limit > 0) { if ("train".equals(split)) c.trainLimit = limit; else c.testLimit = limit; }
        if (stored != null) {
            c.seed = stored.seed;
            c.imageSize = stored.imageSize;          // image datasets: evaluate at the size the run trained at
            c.skipBadImages = stored.skipBadImages;
        }
        RunFactory.Data d = RunFactory.data(c);
        ImageDataset target = "train".equals(split) ? d.train() : d.test();
        Normalization norm = ck.normalization() != null ? ck.normalization() : d.normalization();
        int classes = ck.numClasses() > 0 ? ck.numClasses() : target.numClasses();
        if (classes != target.numClasses())
            throw new ReaperException("the checkpoint has " + classes + " classes but " + target.description() + " has "
                    + target.numClasses() + "; pass the dataset it was trained on");
        EvalResult r;
        try (Backend backend = Backends.create(device, threads)) {
            // the model is built for the data's shape (grey 28 x 28 Fashion-MNIST, --image-size crops), not CIFAR's
            Model m = Models.create(modelName, backend, new RandomStream(0), classes, InitScheme.PYTORCH_DEFAULT,
                    new Models.Input(target.channels(), target.height(), target.width()));
            ModelState.load(m, ck.tensors(), "checkpoint " + file);
            r = Evaluator.evaluate(backend, m, target, norm, batch);
        }
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("checkpoint", file.toString());
            j.put("model", modelName);
            j.put("data", target.description());
            j.put("images", r.count());
            j.put("accuracy", r.accuracy());
            j.put("top5", r.top5());
            j.put("loss", r.loss());
            out.println(Json.compact(j));
        } else {
            out.printf(Locale.ROOT, "%s on %s: accuracy %.2f%% (top-5 %.2f%%, %d images), loss %.4f%n", modelName, target.description(),
                    100 * r.accuracy(), 100 * r.top5(), r.count(), r.loss());
        }
        return 0;
    }
}
