package org.reaper.train;

import java.util.Iterator;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.SoftmaxCrossEntropyFn;
import org.reaper.backend.Backend;
import org.reaper.data.Augmentation;
import org.reaper.data.Batch;
import org.reaper.data.BatchLoader;
import org.reaper.data.ImageDataset;
import org.reaper.data.Normalization;
import org.reaper.nn.Module;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/** Loss, top-1, top-5 and per-class accuracy of a model on a dataset, in evaluation mode, without gradients. */
public final class Evaluator {
    private Evaluator() {}

    /** Restores the model's training mode afterwards. */
    public static EvalResult evaluate(Backend backend, Module model, ImageDataset data, Normalization norm, int batchSize) {
        boolean wasTraining = model.isTraining();
        model.train(false);
        double lossSum = 0;
        long correct = 0, seen = 0;
        TopK topK = new TopK(data.numClasses());
        AutoCloseable noGrad = Tape.noGrad();
        try (BatchLoader loader = new BatchLoader(data, Math.max(1, batchSize), false, false, Augmentation.NONE, norm, 0)) {
            Iterator<Batch> it = loader.epoch(0);
            while (it.hasNext()) {
                Batch b = it.next();
                try (TensorScope scope = TensorScope.open()) {
                    Tensor images = backend.fromHost(b.images(), Shape.of(b.size(), data.channels(), data.height(), data.width()));
                    Tensor labels = backend.fromHost(b.labels(), Shape.of(b.size()));
                    Variable logits = model.forward(Variable.constant(images));
                    lossSum += SoftmaxCrossEntropyFn.compute(backend, logits, labels, 0f).meanLoss() * b.size();
                    correct += backend.countCorrect(logits.value(), labels);
                    topK.add(backend.toHost(logits.value()), b.labels(), b.size());
                    seen += b.size();
                }
            }
        } finally {
            close(noGrad);
            model.train(wasTraining);
        }
        return new EvalResult(lossSum / seen, (double) correct / seen, (int) seen, topK.top5(seen), topK.perClass());
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
