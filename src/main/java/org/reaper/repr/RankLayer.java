package org.reaper.repr;

import org.reaper.nn.PrunableConv;
import org.reaper.tensor.Tensor;

/**
 * One conv layer to rank: its name, its weight (OIHW, filters are rows) and, inside a training run, the
 * model's view of the layer (null for weights read from a file by {@code rank}).
 */
public record RankLayer(String name, Tensor weight, PrunableConv conv) {
    public int filters() { return weight.dim(0); }

    public int[] shape() { return weight.shape().dims(); }
}
