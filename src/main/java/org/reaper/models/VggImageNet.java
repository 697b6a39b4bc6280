package org.reaper.models;

import java.util.ArrayList;
import java.util.List;
import org.reaper.ReaperException;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.ReshapeFn;
import org.reaper.backend.Backend;
import org.reaper.nn.AdaptiveAvgPool2d;
import org.reaper.nn.Conv2d;
import org.reaper.nn.Dropout;
import org.reaper.nn.Linear;
import org.reaper.nn.MaxPool2d;
import org.reaper.nn.PrunableConv;
import org.reaper.nn.ReLU;
import org.reaper.nn.Sequential;
import org.reaper.rng.RandomStream;

/**
 * torchvision's {@code vgg16()} (Simonyan and Zisserman 2015, configuration D, no batch norm), preset
 * {@code vgg16-imagenet}: features = 13 convs 3x3/pad 1 with bias, each followed by ReLU, and five 2x2 max-pools
 * (torchvision's indices: convs at features.0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28); avgpool =
 * adaptive average pooling to 7x7, so any input of at least 32x32 works; classifier = Linear(25088, 4096), ReLU,
 * Dropout(0.5), Linear(4096, 4096), ReLU, Dropout(0.5), Linear(4096, classes) (classifier.0, .3, .6).
 * 138,357,544 parameters for 1000 classes. The dropout masks are drawn from the run's stream (identity in
 * evaluation), as {@link Dropout} does.
 */
public final class VggImageNet extends Model {
    /** Configuration D; 0 stands for 'M' (max-pool). */
    public static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
    public static final int POOLED = 7;
    public static final float DROPOUT = 0.5f;

    private final Sequential features, classifier;
    private final AdaptiveAvgPool2d avgpool;
    private final List<PrunableConv> prunable = new ArrayList<>();

    /** {@code rng}: the stream the dropout masks are drawn from (the run's, so that a resume draws the same masks). */
    public VggImageNet(Backend b, String name, int[] cfg, int numClasses, RandomStream rng) {
        super(b, name);
        features = registerModule("features", new Sequential(b));
        int in = 3;
        List<String> names = new ArrayList<>();
        List<Conv2d> convs = new ArrayList<>();
        for (int v : cfg) {
            if (v == 0) { features.add(new MaxPool2d(b, 2)); continue; }
            names.add("features." + features.size());
            convs.add(features.add(new Conv2d(b, in, v, 3, 1, 1, true)));
            features.add(new ReLU(b));
            in = v;
        }
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(b, POOLED, POOLED));
        classifier = registerModule("classifier", new Sequential(b));
        Linear first = classifier.add(new Linear(b, in * POOLED * POOLED, 4096));
        classifier.add(new ReLU(b));
        classifier.add(new Dropout(b, DROPOUT, rng));
        classifier.add(new Linear(b, 4096, 4096));
        classifier.add(new ReLU(b));
        classifier.add(new Dropout(b, DROPOUT, rng));
        classifier.add(new Linear(b, 4096, numClasses));
        for (int i = 0; i < convs.size(); i++) {
            boolean last = i == convs.size() - 1;
            // the last conv's channel c feeds classifier.0's inputs c*49 .. c*49+48 (adaptive pooling is per channel)
            prunable.add(new PrunableConv(names.get(i), convs.get(i), null,
                    last ? null : convs.get(i + 1), last ? first : null, last ? POOLED * POOLED : 0));
        }
    }

    @Override public Variable forward(Variable x) {
        int h = x.shape().dim(2), w = x.shape().dim(3);
        if (h < 32 || w < 32)
            throw new ReaperException(name() + " needs images of at least 32x32 (five 2x2 max-pools), got " + h + "x" + w);
        return classifier.forward(ReshapeFn.flatten(backend, avgpool.forward(features.forward(x))));
    }

    /** Every conv (all 13), in order. */
    @Override public List<PrunableConv> prunableConvs() { return List.copyOf(prunable); }
}
