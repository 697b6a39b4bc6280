package org.reaper.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;

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
    /** cifar10-sample | cifar10 | cifar100 | synthetic, or the kind detected in --data. */
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
    /** The LR schedule as the optim package describes it. */
    @JsonProperty("schedule-lr-description") public String scheduleDescription;
    /** The RePr schedule options; null for plain training. */
    public Map<String, Object> repr;
    /** Reaper version, Java version and vendor, OS, cores, backend and device. */
    public Map<String, Object> environment = new LinkedHashMap<>();
    /** Description and sizes of the train / val / test sets, normalisation. */
    @JsonProperty("dataset-info") public Map<String, Object> datasetInfo = new LinkedHashMap<>();
}
