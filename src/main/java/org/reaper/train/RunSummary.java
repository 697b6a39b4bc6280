package org.reaper.train;

/**
 * The outcome of a run, as written to summary.json. Accuracies are fractions in [0, 1]; epochs are
 * 1-based counts of completed epochs ({@code bestTestEpoch = 3} means after the third epoch).
 */
public record RunSummary(int epochs, long steps,
                         double finalTestAccuracy, double finalTestLoss,
                         double bestTestAccuracy, int bestTestEpoch,
                         double finalValAccuracy, double bestValAccuracy,
                         double finalTrainLoss, double finalTrainAccuracy,
                         double totalSeconds) {}
