package org.reaper.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import org.reaper.ReaperException;
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
import org.reaper.optim.LrSchedule;
import org.reaper.optim.Optimizer;
import org.reaper.rng.RandomStream;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * The training loop: per step forward, softmax cross-entropy, backward, optimizer step (listeners hook in
 * after backward and after the step); per epoch an evaluation on the validation and test sets. The data
 * order of an epoch is a pure function of (seed, epoch), so a run resumed at epoch k continues exactly.
 * The trainer knows no listener by name; its own progress (phase, best accuracies, time) lives in
 * {@link TrainContext#state()} under "trainer.*" keys so that it is checkpointed with everything else.
 * When {@link #interruptWhen} turns true the trainer stops before its next step: it stores its place inside the epoch
 * (step, sums of the epoch's training metrics) in that state and calls {@link TrainListener#onStopInsideEpoch}, so the
 * checkpoint then written resumes at that step and ends with exactly the numbers of an uninterrupted run.
 */
public final class Trainer {
    static final String PHASE = "trainer.phase", BEST_TEST = "trainer.best_test_acc", BEST_TEST_EPOCH = "trainer.best_test_epoch",
            BEST_VAL = "trainer.best_val_acc", ELAPSED = "trainer.elapsed_s", IN_EPOCH = "trainer.in_epoch";

    private final TrainSetup setup;
    private final Backend backend;
    private final Module model;
    private final Optimizer optimizer;
    private final RunConfig config;
    private final List<TrainListener> listeners = new ArrayList<>();
    private final Context ctx = new Context();
    private final int stepsPerEpoch;
    private final BatchLoader trainLoader;
    private final OrthoPenaltyTerm orthoPenalty;   // null without --ortho-penalty

    private int epoch;            // current epoch, 0-based
    private int startEpoch;       // first epoch this session trains
    private int stepInEpoch;
    private double lastLoss = Double.NaN;
    private boolean resumed, stopRequested, stoppedInside;
    private BooleanSupplier interrupt = () -> false;
    private Map<String, Object> state = new LinkedHashMap<>();

    public Trainer(TrainSetup setup) {
        this.setup = setup;
        this.backend = setup.backend();
        this.model = setup.model();
        this.optimizer = setup.optimizer();
        this.config = setup.config();
        if (config.epochs < 1) throw new ReaperException("--epochs must be at least 1 (got " + config.epochs + ")");
        if (config.batch < 1) throw new ReaperException("--batch must be at least 1 (got " + config.batch + ")");
        Augmentation aug = setup.augmentation() == null ? Augmentation.NONE : setup.augmentation();
        this.trainLoader = new BatchLoader(setup.train(), config.batch, true, false, aug, setup.normalization(), config.seed);
        int batches = trainLoader.batchesPerEpoch();
        this.stepsPerEpoch = config.maxStepsPerEpoch > 0 ? Math.min(batches, config.maxStepsPerEpoch) : batches;
        state.put(PHASE, "full");
        this.orthoPenalty = OrthoPenaltyTerm.of(config, backend, model);
    }

    /** Adds a listener; listeners are called in the order added (see {@link TrainListener}). */
    public Trainer addListener(TrainListener l) {
        if (l != null) listeners.add(l);
        return this;
    }

    public TrainContext context() { return ctx; }

    /** Checked before every step: when true the run stops there, inside its epoch (see the class comment). */
    public Trainer interruptWhen(BooleanSupplier condition) {
        this.interrupt = condition;
        return this;
    }

    /** True when the last {@link #run} stopped inside an epoch; {@code context().epoch()/stepInEpoch()} say where. */
    public boolean stoppedInsideEpoch() { return stoppedInside; }

    /**
     * Continues a run after {@code completedEpochs} epochs with the listener/trainer {@code state} of its
     * checkpoint. The caller restores the model, optimizer and RNG offset (see {@link Checkpoints#restore}).
     */
    public void resume(int completedEpochs, Map<String, Object> restoredState) {
        this.startEpoch = completedEpochs;
        this.epoch = completedEpochs;
        this.state = new LinkedHashMap<>(restoredState);
        this.state.putIfAbsent(PHASE, "full");
        this.stepInEpoch = state.get(IN_EPOCH) instanceof Map<?, ?> p ? ((Number) p.get("step")).intValue() : 0;
        this.resumed = true;
    }

    /**
     * Trains to the configured epoch count. Returns the summary, or null when a listener requested a stop
     * (the stopping epoch's listeners, including the checkpoint writer, have run).
     */
    public RunSummary run() {
        try {
            for (TrainListener l : listeners) l.onRunStart(ctx);
            EpochMetrics last = null;
            for (epoch = startEpoch; epoch < config.epochs; epoch++) {
                last = runEpoch();
                if (stopRequested || stoppedInside) return null;
            }
            RunSummary summary = summarise(last);
            for (TrainListener l : listeners) l.onRunEnd(ctx, summary);
            return summary;
        } finally {
            trainLoader.close();
        }
    }

    private EpochMetrics runEpoch() {
        long epochStart = System.nanoTime();
        float epochLr = setup.schedule().lr(epoch);
        optimizer.setLearningRate(epochLr);
        stepInEpoch = 0;
        double lossSum = 0, earlierSeconds = 0, penaltySum = 0;
        long correct = 0, seen = 0;
        if (state.remove(IN_EPOCH) instanceof Map<?, ?> p) {      // resumed inside this epoch: its listeners saw its start
            stepInEpoch = ((Number) p.get("step")).intValue();
            lossSum = ((Number) p.get("loss_sum")).doubleValue();
            correct = ((Number) p.get("correct")).longValue();
            seen = ((Number) p.get("seen")).longValue();
            earlierSeconds = ((Number) p.get("seconds")).doubleValue();
            if (p.get("ortho_penalty_sum") instanceof Number n) penaltySum = n.doubleValue();
        } else {
            for (TrainListener l : listeners) l.onEpochStart(ctx, epoch);
        }
        String phase = phase();
        model.train(true);
        Iterator<Batch> batches = trainLoader.epoch(epoch);
        for (int i = 0; i < stepInEpoch && batches.hasNext(); i++) batches.next();   // the loader's place: batches already trained on
        long t0 = System.nanoTime(), waitedBefore = trainLoader.waitedNanos();   // the loader counts its consumer's blocked time
        while (stepInEpoch < stepsPerEpoch && batches.hasNext()) {
            if (interrupt.getAsBoolean()) {
                stopInside(lossSum, correct, seen, penaltySum, earlierSeconds + (System.nanoTime() - t0) / 1e9, epochStart);
                return null;
            }
            Batch b = batches.next();
            optimizer.setLearningRate(setup.schedule().lr(epoch + (double) stepInEpoch / stepsPerEpoch));
            try (TensorScope scope = TensorScope.open(); Tape tape = Tape.record()) {
                Tensor images = backend.fromHost(b.images(), imageShape(setup.train(), b.size()));
                Tensor labels = backend.fromHost(b.labels(), Shape.of(b.size()));
                Variable logits = model.forward(Variable.constant(images));
                SoftmaxCrossEntropyFn ce = SoftmaxCrossEntropyFn.compute(backend, logits, labels, config.labelSmoothing);
                double loss = ce.meanLoss();
                if (!Double.isFinite(loss)) throw divergence(loss, b.size());
                Variable total = ce.loss();
                if (orthoPenalty != null) {
                    OrthoPenaltyTerm.Step p = orthoPenalty.addTo(total);
                    if (!Double.isFinite(p.penalty())) throw divergence("orthogonality penalty", p.penalty(), b.size());
                    total = p.loss();
                    penaltySum += p.penalty();
                }
                correct += backend.countCorrect(logits.value(), labels);
                tape.backward(backend, total);
                for (TrainListener l : listeners) l.afterBackward(ctx);
                optimizer.step();
                stepInEpoch++;
                lastLoss = loss;
                lossSum += loss * b.size();
                seen += b.size();
                for (TrainListener l : listeners) l.afterOptimizerStep(ctx);
            } finally {
                model.zeroGrad();
            }
        }
        backend.synchronize();
        double seconds = earlierSeconds + (System.nanoTime() - t0) / 1e9;
        EvalResult val = setup.val() == null ? EvalResult.NONE : evaluate(setup.val());
        EvalResult test = evaluate(setup.test());
        checkFinite("validation", val);
        checkFinite("test", test);
        EpochMetrics m = new EpochMetrics(epoch, phase, Double.parseDouble(Float.toString(epochLr)), lossSum / seen, (double) correct / seen, val, test,
                seconds, seen / Math.max(seconds, 1e-9), (trainLoader.waitedNanos() - waitedBefore) / 1e9);
        if (orthoPenalty != null) m.extra().put(OrthoPenaltyTerm.COLUMN, penaltySum / Math.max(stepInEpoch, 1));
        trackBest(m);
        addElapsed((System.nanoTime() - epochStart) / 1e9);
        for (TrainListener l : listeners) l.onEpochEnd(ctx, m);
        return m;
    }

    private void stopInside(double lossSum, long correct, long seen, double penaltySum, double seconds, long epochStart) {
        backend.synchronize();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("step", stepInEpoch);
        p.put("loss_sum", lossSum);
        p.put("correct", correct);
        p.put("seen", seen);
        p.put("seconds", seconds);
        if (orthoPenalty != null) p.put("ortho_penalty_sum", penaltySum);
        state.put(IN_EPOCH, p);
        addElapsed((System.nanoTime() - epochStart) / 1e9);
        stoppedInside = true;
        for (TrainListener l : listeners) l.onStopInsideEpoch(ctx);
    }

    private ReaperException divergence(double loss, int batchSize) { return divergence("training loss", loss, batchSize); }

    private ReaperException divergence(String what, double loss, int batchSize) {
        return new ReaperException(String.format(Locale.ROOT,
                "the %s became %s at step %d (epoch %d, batch %d of %d, %d images): training diverged; "
                        + "lower --lr (now %s) or use a learning-rate warm-up",
                what, Double.isNaN(loss) ? "NaN" : "infinite", optimizer.stepCount() + 1, epoch + 1, stepInEpoch + 1, stepsPerEpoch,
                batchSize, optimizer.learningRate()));
    }

    /** A model whose evaluation loss is NaN or infinite has diverged even when the training loss still looked finite. */
    private void checkFinite(String split, EvalResult r) {
        if (r == EvalResult.NONE || Double.isFinite(r.loss())) return;
        throw new ReaperException(String.format(Locale.ROOT,
                "the %s loss became %s when evaluating after epoch %d: training diverged; lower --lr (now %s) or use a learning-rate warm-up",
                split, Double.isNaN(r.loss()) ? "NaN" : "infinite", epoch + 1, optimizer.learningRate()));
    }

    private static Shape imageShape(ImageDataset d, int n) { return Shape.of(n, d.channels(), d.height(), d.width()); }

    /** Loss and accuracy on {@code data} in eval mode without gradients. */
    EvalResult evaluate(ImageDataset data) {
        return Evaluator.evaluate(backend, model, data, setup.normalization(), config.evalBatch);
    }

    private Iterator<Batch> sampleBatches(ImageDataset data, int count) {
        BatchLoader loader = new BatchLoader(data, config.batch, false, false, Augmentation.NONE, setup.normalization(), 0);
        Iterator<Batch> inner = loader.epoch(0);
        return new Iterator<>() {
            int served;
            @Override public boolean hasNext() {
                boolean more = served < count && inner.hasNext();
                if (!more) loader.close();
                return more;
            }
            @Override public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                served++;
                return inner.next();
            }
        };
    }

    private void trackBest(EpochMetrics m) {
        if (!Double.isNaN(m.testAccuracy()) && m.testAccuracy() > number(BEST_TEST, -1)) {
            state.put(BEST_TEST, m.testAccuracy());
            state.put(BEST_TEST_EPOCH, m.epoch() + 1);
        }
        if (!Double.isNaN(m.valAccuracy()) && m.valAccuracy() > number(BEST_VAL, -1)) state.put(BEST_VAL, m.valAccuracy());
    }

    private void addElapsed(double seconds) { state.put(ELAPSED, number(ELAPSED, 0) + seconds); }

    private double number(String key, double fallback) {
        return state.get(key) instanceof Number n ? n.doubleValue() : fallback;
    }

    private String phase() { return String.valueOf(state.getOrDefault(PHASE, "full")); }

    private RunSummary summarise(EpochMetrics last) {
        double nan = Double.NaN;
        return new RunSummary(config.epochs, optimizer.stepCount(),
                last == null ? nan : last.testAccuracy(), last == null ? nan : last.testLoss(),
                number(BEST_TEST, nan), (int) number(BEST_TEST_EPOCH, 0),
                last == null ? nan : last.valAccuracy(), number(BEST_VAL, nan),
                last == null ? nan : last.trainLoss(), last == null ? nan : last.trainAccuracy(),
                number(ELAPSED, 0));
    }

    private final class Context implements TrainContext {
        @Override public Backend backend() { return backend; }
        @Override public Module model() { return model; }
        @Override public Optimizer optimizer() { return optimizer; }
        @Override public LrSchedule schedule() { return setup.schedule(); }
        @Override public ImageDataset trainSet() { return setup.train(); }
        @Override public ImageDataset valSet() { return setup.val(); }
        @Override public ImageDataset testSet() { return setup.test(); }
        @Override public Normalization normalization() { return setup.normalization(); }
        @Override public int epoch() { return epoch; }
        @Override public int totalEpochs() { return config.epochs; }
        @Override public int stepsPerEpoch() { return stepsPerEpoch; }
        @Override public int stepInEpoch() { return stepInEpoch; }
        @Override public long globalStep() { return optimizer.stepCount(); }
        @Override public double lastLoss() { return lastLoss; }
        @Override public String phase() { return Trainer.this.phase(); }
        @Override public void setPhase(String phase) { state.put(PHASE, phase); }
        @Override public Path runDir() { return setup.runDir(); }
        @Override public RunConfig config() { return config; }
        @Override public RandomStream rng() { return setup.rng(); }
        @Override public Map<String, Object> state() { return state; }
        @Override public boolean resumed() { return resumed; }
        @Override public void requestStop() { stopRequested = true; }
        @Override public EvalResult evaluate(ImageDataset data) { return Trainer.this.evaluate(data); }
        @Override public Iterator<Batch> sampleBatches(ImageDataset data, int batches) { return Trainer.this.sampleBatches(data, batches); }
    }
}
