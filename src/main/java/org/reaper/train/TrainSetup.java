package org.reaper.train;

import java.nio.file.Path;
import org.reaper.backend.Backend;
import org.reaper.data.Augmentation;
import org.reaper.data.ImageDataset;
import org.reaper.data.Normalization;
import org.reaper.nn.Module;
import org.reaper.optim.LrSchedule;
import org.reaper.optim.Optimizer;
import org.reaper.rng.RandomStream;

/**
 * Everything a {@link Trainer} needs, built by {@link RunFactory} (or by hand in tests).
 * {@code val} may be null; {@code runDir} may be null for a run that writes no files.
 */
public record TrainSetup(Backend backend, Module model, Optimizer optimizer, LrSchedule schedule,
                         ImageDataset train, ImageDataset val, ImageDataset test,
                         Normalization normalization, Augmentation augmentation,
                         RunConfig config, Path runDir, RandomStream rng) {}
