package org.reaper.models;

import java.util.ArrayList;
import java.util.List;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.AvgPool2dFn;
import org.reaper.autograd.ops.MaxPool2dFn;
import org.reaper.autograd.ops.ReshapeFn;
import org.reaper.backend.Backend;
import org.reaper.nn.BatchNorm2d;
import org.reaper.nn.Bottleneck;
import org.reaper.nn.Conv2d;
import org.reaper.nn.Downsample;
import org.reaper.nn.Linear;
import org.reaper.nn.Module;
import org.reaper.nn.PrunableConv;
import org.reaper.nn.ResNetBasicBlock;
import org.reaper.nn.Sequential;

/**
 * torchvision's ImageNet ResNets (He et al. 2016): resnet18/34 (basic blocks), resnet50/101/152 (bottlenecks),
 * with torchvision's parameter names and counts, so checkpoints load both ways. The ImageNet stem is
 * conv 7x7/2 + max-pool 3x3/2; the small-image stem ({@code -small}, for 32/64-px data) a 3x3/1 conv without
 * the max-pool (parameter names unchanged; conv1 is 3x3).
 */
public final class ResNetImageNet extends Model {
    private static final int[][] LAYERS = {{18, 2, 2, 2, 2}, {34, 3, 4, 6, 3}, {50, 3, 4, 6, 3}, {101, 3, 4, 23, 3}, {152, 3, 8, 36, 3}};
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential layer1, layer2, layer3, layer4;
    private final Linear fc;
    private final boolean smallStem;

    public static boolean hasDepth(int depth) {
        for (int[] l : LAYERS) if (l[0] == depth) return true;
        return false;
    }

    public ResNetImageNet(Backend b, String name, int depth, boolean smallStem, int numClasses) {
        super(b, name);
        int[] blocks = null;
        for (int[] l : LAYERS) if (l[0] == depth) blocks = l;
        if (blocks == null) throw new IllegalArgumentException("ImageNet ResNet depth must be 18, 34, 50, 101 or 152, got " + depth);
        boolean bottleneck = depth >= 50;
        this.smallStem = smallStem;
        conv1 = registerModule("conv1", smallStem ? new Conv2d(b, 3, 64, 3, 1, 1, false) : new Conv2d(b, 3, 64, 7, 2, 3, false));
        bn1 = registerModule("bn1", new BatchNorm2d(b, 64));
        int[] in = {64};
        layer1 = registerModule("layer1", stage(b, in, 64, blocks[1], 1, bottleneck));
        layer2 = registerModule("layer2", stage(b, in, 128, blocks[2], 2, bottleneck));
        layer3 = registerModule("layer3", stage(b, in, 256, blocks[3], 2, bottleneck));
        layer4 = registerModule("layer4", stage(b, in, 512, blocks[4], 2, bottleneck));
        fc = registerModule("fc", new Linear(b, in[0], numClasses));
    }

    private static Sequential stage(Backend b, int[] in, int planes, int blocks, int stride, boolean bottleneck) {
        Sequential s = new Sequential(b);
        for (int i = 0; i < blocks; i++) {
            int st = i == 0 ? stride : 1;
            s.add(bottleneck ? new Bottleneck(b, in[0], planes, st) : new ResNetBasicBlock(b, in[0], planes, st));
            in[0] = planes * (bottleneck ? Bottleneck.EXPANSION : ResNetBasicBlock.EXPANSION);
        }
        return s;
    }

    @Override public Variable forward(Variable x) {
        Variable out = bn1.forwardRelu(conv1.forward(x));
        if (!smallStem) out = MaxPool2dFn.apply(backend, out, 3, 2, 1);
        out = layer4.forward(layer3.forward(layer2.forward(layer1.forward(out))));
        return fc.forward(ReshapeFn.flatten(backend, AvgPool2dFn.global(backend, out)));
    }

    /** Every conv, 1x1 and downsample convs included; nextConv only inside a block, since residual adds consume the others. */
    @Override public List<PrunableConv> prunableConvs() {
        List<PrunableConv> out = new ArrayList<>();
        out.add(new PrunableConv("conv1", conv1, bn1, null, null, 0));
        for (var e : namedModules().entrySet()) {
            String p = e.getKey();
            if (e.getValue() instanceof ResNetBasicBlock blk) {
                out.add(new PrunableConv(p + ".conv1", blk.conv1(), blk.bn1(), blk.conv2(), null, 0));
                out.add(new PrunableConv(p + ".conv2", blk.conv2(), blk.bn2(), null, null, 0));
                if (blk.downsample() != null) out.add(downsample(p, blk.downsample()));
            } else if (e.getValue() instanceof Bottleneck blk) {
                out.add(new PrunableConv(p + ".conv1", blk.conv1(), blk.bn1(), blk.conv2(), null, 0));
                out.add(new PrunableConv(p + ".conv2", blk.conv2(), blk.bn2(), blk.conv3(), null, 0));
                out.add(new PrunableConv(p + ".conv3", blk.conv3(), blk.bn3(), null, null, 0));
                if (blk.downsample() != null) out.add(downsample(p, blk.downsample()));
            }
        }
        return out;
    }

    private static PrunableConv downsample(String block, Sequential d) {
        return new PrunableConv(block + ".downsample.0", Downsample.conv(d), Downsample.bn(d), null, null, 0);
    }

    public Linear fc() { return fc; }
    public List<Module> stages() { return List.of(layer1, layer2, layer3, layer4); }
}
