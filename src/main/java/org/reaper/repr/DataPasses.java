package org.reaper.repr;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.reaper.autograd.Function;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.SoftmaxCrossEntropyFn;
import org.reaper.backend.Backend;
import org.reaper.data.Batch;
import org.reaper.data.ImageDataset;
import org.reaper.nn.Module;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;
import org.reaper.train.TrainContext;

/**
 * Forward + backward passes over a few unaugmented batches for the data criteria, without touching the
 * training state: the model runs in training mode (batch statistics, as during training) and its buffers
 * (BN running statistics) are restored afterwards; gradients are cleared after every batch; the optimizer
 * never steps. Data come from the validation split when the run has one, else from the training split.
 */
final class DataPasses {
    private DataPasses() {}

    /** Receives, per batch, the functions recorded in the forward pass (outputs still alive) after backward ran. */
    interface BatchVisitor { void visit(List<Function> forward, int batchSize); }

    static ImageDataset source(TrainContext ctx) { return ctx.valSet() != null ? ctx.valSet() : ctx.trainSet(); }

    static int run(TrainContext ctx, int batches, boolean backward, BatchVisitor visitor) {
        Backend b = ctx.backend();
        Module model = ctx.model();
        ImageDataset data = source(ctx);
        Map<String, Tensor> buffers = model.namedBuffers();
        List<float[]> saved = new ArrayList<>();
        for (Tensor t : buffers.values()) saved.add(b.toHost(t));
        boolean wasTraining = model.isTraining();
        model.train(true);
        int seen = 0;
        try {
            Iterator<Batch> it = ctx.sampleBatches(data, batches);
            while (it.hasNext()) {
                Batch batch = it.next();
                try (TensorScope scope = TensorScope.open(); Tape tape = Tape.record()) {
                    Tensor images = b.fromHost(batch.images(), Shape.of(batch.size(), data.channels(), data.height(), data.width()));
                    Tensor labels = b.fromHost(batch.labels(), Shape.of(batch.size()));
                    Variable logits = model.forward(Variable.constant(images));
                    Variable loss = SoftmaxCrossEntropyFn.apply(b, logits, labels, 0f);
                    List<Function> fs = TapeFunctions.recorded(tape);
                    if (backward) tape.backward(b, loss);
                    visitor.visit(fs, batch.size());
                    seen++;
                } finally {
                    model.zeroGrad();
                }
            }
        } finally {
            int i = 0;
            for (Tensor t : buffers.values()) b.upload(saved.get(i++), t);
            model.train(wasTraining);
        }
        return seen;
    }
}
