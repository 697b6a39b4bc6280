package org.reaper.backend;

/**
 * How the inter-filter orthogonality score of RePr is computed for one layer whose filters are the
 * J rows of W (J x D).
 * <ul>
 * <li>{@code PER_FILTER}: each row scaled to unit L2 norm, so Gram entries are cosines (the paper).</li>
 * <li>{@code FROBENIUS}: W divided by its Frobenius norm (the official code's tf.nn.l2_normalize).</li>
 * </ul>
 * {@code absPerElement = true}: O_f = sum_j |G[f,j]| (j != f) / J (the paper);
 * {@code false}: O_f = |sum_j G[f,j] (j != f) / J| (the official code: abs after the mean).
 * A zero row has zero normalised entries (no division by zero).
 */
public record OrthoOptions(Normalization normalization, boolean absPerElement) {
    public enum Normalization { PER_FILTER, FROBENIUS }

    public static final OrthoOptions PAPER = new OrthoOptions(Normalization.PER_FILTER, true);
}
