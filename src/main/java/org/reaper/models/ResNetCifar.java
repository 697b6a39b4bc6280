package org.reaper.models;

import java.util.ArrayList;
import java.util.List;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.AvgPool2dFn;
import org.reaper.autograd.ops.ReshapeFn;
import org.reaper.backend.Backend;
import org.reaper.nn.BasicBlock;
import org.reaper.nn.BatchNorm2d;
import org.reaper.nn.Conv2d;
import org.reaper.nn.Linear;
import org.reaper.nn.Module;
import org.reaper.nn.PrunableConv;
import org.reaper.nn.Sequential;

/**
 * He et al. 2016 CIFAR ResNet of depth 6n+2: conv1 (3x3, 16) -> bn1 -> relu -> layer1..3 (n basic
 * blocks of 16, 32, 64 planes; stride 2 at the start of layers 2, 3; option-A shortcuts) -> global
 * average pool -> fc. Names as in the common PyTorch CIFAR code: conv1, bn1, layer1.0.conv1, ..., fc.
 */
public final class ResNetCifar extends Model {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential layer1, layer2, layer3;
    private final Linear fc;

    public ResNetCifar(Backend b, String name, int depth, int numClasses) { this(b, name, depth, 3, numClasses); }

    /** For images of {@code inChannels} channels (any size: the head is a global average pooling). */
    public ResNetCifar(Backend b, String name, int depth, int inChannels, int numClasses) {
        super(b, name);
        if (depth < 8 || (depth - 2) % 6 != 0) throw new IllegalArgumentException("CIFAR ResNet depth must be 6n+2 (20, 32, 44, 56, 110), got " + depth);
        int n = (depth - 2) / 6;
        conv1 = registerModule("conv1", new Conv2d(b, inChannels, 16, 3, 1, 1, false));
        bn1 = registerModule("bn1", new BatchNorm2d(b, 16));
        layer1 = registerModule("layer1", stage(b, 16, 16, n, 1));
        layer2 = registerModule("layer2", stage(b, 16, 32, n, 2));
        layer3 = registerModule("layer3", stage(b, 32, 64, n, 2));
        fc = registerModule("fc", new Linear(b, 64, numClasses));
    }

    private static Sequential stage(Backend b, int in, int planes, int blocks, int stride) {
        Sequential s = new Sequential(b);
        for (int i = 0; i < blocks; i++) s.add(new BasicBlock(b, i == 0 ? in : planes, planes, i == 0 ? stride : 1));
        return s;
    }

    @Override public Variable forward(Variable x) {
        Variable out = bn1.forwardRelu(conv1.forward(x));
        out = layer3.forward(layer2.forward(layer1.forward(out)));
        out = ReshapeFn.flatten(backend, AvgPool2dFn.global(backend, out));
        return fc.forward(out);
    }

    /** Every conv; nextConv only inside a block (conv1 -> conv2), since residual adds consume the others. */
    @Override public List<PrunableConv> prunableConvs() {
        List<PrunableConv> out = new ArrayList<>();
        out.add(new PrunableConv("conv1", conv1, bn1, null, null, 0));
        for (var e : namedModules().entrySet()) {
            if (!(e.getValue() instanceof BasicBlock blk)) continue;
            String p = e.getKey();
            out.add(new PrunableConv(p + ".conv1", blk.conv1(), blk.bn1(), blk.conv2(), null, 0));
            out.add(new PrunableConv(p + ".conv2", blk.conv2(), blk.bn2(), null, null, 0));
        }
        return out;
    }

    public Linear fc() { return fc; }
    public List<Module> stages() { return List.of(layer1, layer2, layer3); }
}
