package org.reaper.repr;

/**
 * The score of every filter of one conv layer: {@code scores[f]} for filter f (row f of the OIHW weight).
 * {@code shape} is the layer's weight shape ([out, in, kh, kw]).
 */
public record LayerScores(String layer, int[] shape, float[] scores) {
    public int filters() { return scores.length; }
}
