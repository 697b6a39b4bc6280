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
 * VGG for 32x32 CIFAR with batch norm: a cfg of conv widths and 'M' (2x2 max-pool); each conv is
 * 3x3/pad 1 with bias -> BN -> ReLU; then flatten -> classifier Linear(512 -> classes).
 * Names: features.K.*, classifier.*.
 */
public final class VggCifar extends Model {
    /** VGG16 configuration; 0 stands for 'M'. */
    public static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

    private final Sequential features;
    private final Linear classifier;
    private final List<PrunableConv> prunable = new ArrayList<>();

    public VggCifar(Backend b, String name, int[] cfg, int numClasses) {
        super(b, name);
        features = registerModule("features", new Sequential(b));
        int in = 3, size = 32;
        List<String> names = new ArrayList<>();
        List<Conv2d> convs = new ArrayList<>();
        List<BatchNorm2d> bns = new ArrayList<>();
        for (int v : cfg) {
            if (v == 0) { features.add(new MaxPool2d(b, 2)); size /= 2; continue; }
            names.add("features." + features.size());
            convs.add(features.add(new Conv2d(b, in, v, 3, 1, 1, true)));
            bns.add(features.add(new BatchNorm2d(b, v)));
            features.add(new ReLU(b));
            in = v;
        }
        int spatial = size * size;
        classifier = registerModule("classifier", new Linear(b, in * spatial, numClasses));
        for (int i = 0; i < convs.size(); i++) {
            boolean last = i == convs.size() - 1;
            prunable.add(new PrunableConv(names.get(i), convs.get(i), bns.get(i),
                    last ? null : convs.get(i + 1), last ? classifier : null, last ? spatial : 0));
        }
    }

    @Override public Variable forward(Variable x) {
        return classifier.forward(ReshapeFn.flatten(backend, features.forward(x)));
    }

    @Override public List<PrunableConv> prunableConvs() { return List.copyOf(prunable); }
}
