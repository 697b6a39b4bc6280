package org.reaper.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reaper.ReaperException;

/**
 * Every effective option of a run, written to {@code runs/NAME/config.json}. JSON keys are the
 * {@code train} command's long option names without the dashes, so a config.json (or a hand-written
 * file with the same keys) can be passed back with {@code --config}. {@code repr} holds the RePr
 * options (as the repr package serialises them), {@code environment} the versions and device, and
 * {@code dataset} what was trained on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"name", "model", "data", "dataset", "epochs", "batch", "optimizer", "lr", "momentum", "wd",
        "nesterov", "schedule-lr", "augment", "val", "seed", "threads", "device"})
public final class RunConfig {
    public String name;
    public String model = "c3-32";
    /** A dataset folder given with --data (null when --dataset named one). */
    public String data;
    /** cifar10-sample | cifar10 | cifar100 | fashion-mnist | mnist | synthetic, or the kind detected in --data. */
    public String dataset;
    public int epochs = 10;
    public int batch = 128;
    public String optimizer = "sgd";
    public float lr = 0.01f;
    public float momentum = 0.9f;
    public float dampening = 0f;
    @JsonProperty("wd") public float weightDecay = 0f;
    public boolean nesterov = false;
    @JsonProperty("schedule-lr") public String scheduleLr = "constant";
    public boolean augment = false;
    /** Images held out of the training set for validation (0 = none). */
    public int val = 0;
    public long seed = 1;
    public int threads = 0;
    public String device = "cpu";
    /** pytorch-default | he-normal */
    public String init = "pytorch-default";
    /** Epochs at which the "step" schedule multiplies the LR by {@link #gamma} (null: 50% and 75% of the run). */
    public int[] milestones;
    public float gamma = 0.1f;
    /** Linear LR warm-up epochs (0 = none). */
    public int warmup = 0;
    @JsonProperty("label-smoothing") public float labelSmoothing = 0f;
    @JsonProperty("eval-batch") public int evalBatch = 500;
    /** 0 = the whole epoch; otherwise at most this many steps per epoch (quick tests). */
    @JsonProperty("max-steps-per-epoch") public int maxStepsPerEpoch = 0;
    /** 0 = all; otherwise the first N training images (before the validation split). */
    @JsonProperty("train-limit") public int trainLimit = 0;
    /** 0 = all; otherwise the first N test images. */
    @JsonProperty("test-limit") public int testLimit = 0;
    /** Image folders, Tiny-ImageNet, a decoded cache: the training crop S (evaluation: shorter side S/0.875, centre S); 0 = the layout's own. */
    @JsonProperty("image-size") public int imageSize = 0;
    /** Image folders: decode every image first and leave out (and count) those that fail, instead of stopping at the first. */
    @JsonProperty("skip-bad-images") public boolean skipBadImages = false;
    /** LAMBDA of the soft orthogonality penalty LAMBDA * sum_l ||W^ W^^T - I||_F^2 added to the training loss (0 = off; {@link OrthoPenaltyTerm}). */
    @JsonProperty("ortho-penalty") public float orthoPenalty = 0f;
    /** The conv layers the penalty covers: all, or exclude-first (all but the first); independent of RePr's --exclude-first. */
    @JsonProperty("ortho-penalty-layers") public String orthoPenaltyLayers = OrthoPenaltyTerm.ALL;
    /** Decode workers of the loader (0 = all cores); any count gives the same batches. */
    public int workers = 0;
    /** The LR schedule as the optim package describes it. */
    @JsonProperty("schedule-lr-description") public String scheduleDescription;
    /** The RePr schedule options; null for plain training. */
    public Map<String, Object> repr;
    /** Reaper version, Java version and vendor, OS, cores, backend and device. */
    public Map<String, Object> environment = new LinkedHashMap<>();
    /** Description and sizes of the train / val / test sets, normalisation. */
    @JsonProperty("dataset-info") public Map<String, Object> datasetInfo = new LinkedHashMap<>();

    /** Throws a one-line {@link ReaperException} for a value no run can use (checked before any file is touched). */
    public void validate() {
        atLeast("--epochs", epochs, 1);
        atLeast("--batch", batch, 1);
        atLeast("--eval-batch", evalBatch, 1);
        atLeast("--threads", threads, 0);
        atLeast("--val", val, 0);
        atLeast("--train-limit", trainLimit, 0);
        atLeast("--test-limit", testLimit, 0);
        atLeast("--max-steps-per-epoch", maxStepsPerEpoch, 0);
        atLeast("--warmup", warmup, 0);
        atLeast("--image-size", imageSize, 0);
        atLeast("--workers", workers, 0);
        if (!(lr > 0) || !Float.isFinite(lr)) throw new ReaperException("--lr must be a positive number (got " + lr + ")");
        if (!(momentum >= 0 && momentum < 1)) throw new ReaperException("--momentum must lie in [0, 1) (got " + momentum + ")");
        if (!(dampening >= 0 && dampening <= 1)) throw new ReaperException("--dampening must lie in [0, 1] (got " + dampening + ")");
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) throw new ReaperException("--wd must be >= 0 (got " + weightDecay + ")");
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new ReaperException("--label-smoothing must lie in [0, 1) (got " + labelSmoothing + ")");
        if (!(gamma > 0) || !Float.isFinite(gamma)) throw new ReaperException("--gamma must be a positive number (got " + gamma + ")");
        if (!(orthoPenalty >= 0) || !Float.isFinite(orthoPenalty))
            throw new ReaperException("--ortho-penalty must be a number >= 0, e.g. 0.01 (got " + orthoPenalty + ")");
        orthoPenaltyLayers = OrthoPenaltyTerm.layers(orthoPenaltyLayers);
        if (data != null && data.isBlank()) throw new ReaperException("--data is empty; pass a dataset folder or leave --data out");
        if (data != null && dataset != null && !java.util.Set.of("auto", "cifar10", "cifar100", "mnist", "fashion-mnist").contains(dataset) && ImageData.parseKind(dataset) == null)
            throw new ReaperException("--data " + data + " and --dataset " + dataset + " name two datasets; pass one of them");
    }

    private static void atLeast(String flag, long v, long min) {
        if (v < min) throw new ReaperException(flag + " must be at least " + min + " (got " + v + ")");
    }
}
