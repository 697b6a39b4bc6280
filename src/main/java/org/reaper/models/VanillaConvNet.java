package org.reaper.models;

import java.util.ArrayList;
import java.util.List;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.ReshapeFn;
import org.reaper.backend.Backend;
import org.reaper.nn.BatchNorm2d;
import org.reaper.nn.Conv2d;
import org.reaper.nn.Linear;
import org.reaper.nn.MaxPool2d;
import org.reaper.nn.PrunableConv;
import org.reaper.nn.ReLU;
import org.reaper.nn.Sequential;

/**
 * The paper's C^n(X): n layers of X 3x3 filters (padding 1, with bias), each conv -> (BN) -> ReLU
 * -> (2x2 max-pool), then flatten -> Linear -> logits. Names: features.K.weight/bias for the K-th
 * layer of the "features" Sequential, classifier.weight/bias.
 */
public final class VanillaConvNet extends Model {
    private final Sequential features;
    private final Linear classifier;
    private final List<Conv2d> convs = new ArrayList<>();
    private final List<String> convNames = new ArrayList<>();
    private final List<BatchNorm2d> bns = new ArrayList<>();
    private final int finalSpatial;

    public VanillaConvNet(Backend b, String name, int inChannels, int imageSize, int layers, int filters,
                          boolean batchNorm, boolean pool, int numClasses) {
        this(b, name, inChannels, imageSize, imageSize, layers, filters, batchNorm, pool, numClasses);
    }

    /**
     * For {@code inChannels x height x width} images: each 2x2 max-pool floors odd sizes (28 -> 14 -> 7 -> 3), and the
     * classifier reads filters x (final height x final width) features.
     */
    public VanillaConvNet(Backend b, String name, int inChannels, int height, int width, int layers, int filters,
                          boolean batchNorm, boolean pool, int numClasses) {
        super(b, name);
        if (layers < 1 || filters < 1) throw new IllegalArgumentException("C^n(X) needs n >= 1 and X >= 1, got n=" + layers + " X=" + filters);
        features = registerModule("features", new Sequential(b));
        int h = height, w = width, in = inChannels;
        for (int i = 0; i < layers; i++) {
            convNames.add("features." + features.size());
            convs.add(features.add(new Conv2d(b, in, filters, 3, 1, 1, true)));
            bns.add(batchNorm ? features.add(new BatchNorm2d(b, filters)) : null);
            features.add(new ReLU(b));
            if (pool) {
                if (h < 2 || w < 2) throw new IllegalArgumentException(name + ": too many 2x2 poolings for a " + height + "x" + width + " input");
                features.add(new MaxPool2d(b, 2));
                h /= 2;
                w /= 2;
            }
            in = filters;
        }
        finalSpatial = h * w;
        classifier = registerModule("classifier", new Linear(b, filters * finalSpatial, numClasses));
    }

    @Override public Variable forward(Variable x) {
        return classifier.forward(ReshapeFn.flatten(backend, features.forward(x)));
    }

    @Override public List<PrunableConv> prunableConvs() {
        List<PrunableConv> out = new ArrayList<>();
        for (int i = 0; i < convs.size(); i++) {
            boolean last = i == convs.size() - 1;
            out.add(new PrunableConv(convNames.get(i), convs.get(i), bns.get(i),
                    last ? null : convs.get(i + 1), last ? classifier : null, last ? finalSpatial : 0));
        }
        return out;
    }

    public Sequential features() { return features; }
    public Linear classifier() { return classifier; }
}
