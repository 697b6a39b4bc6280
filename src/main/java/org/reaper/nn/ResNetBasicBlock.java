package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.AddReluFn;
import org.reaper.backend.Backend;

/**
 * torchvision's ResNet BasicBlock: relu(bn2(conv2(relu(bn1(conv1(x))))) + identity), the identity a
 * 1x1 conv + BN ({@code downsample.0}, {@code downsample.1}) when the stride or the width changes.
 */
public final class ResNetBasicBlock extends Module {
    public static final int EXPANSION = 1;
    private final Conv2d conv1, conv2;
    private final BatchNorm2d bn1, bn2;
    private final Sequential downsample;

    public ResNetBasicBlock(Backend b, int inPlanes, int planes, int stride) {
        super(b);
        conv1 = registerModule("conv1", new Conv2d(b, inPlanes, planes, 3, stride, 1, false));
        bn1 = registerModule("bn1", new BatchNorm2d(b, planes));
        conv2 = registerModule("conv2", new Conv2d(b, planes, planes, 3, 1, 1, false));
        bn2 = registerModule("bn2", new BatchNorm2d(b, planes));
        downsample = stride != 1 || inPlanes != planes ? registerModule("downsample", Downsample.of(b, inPlanes, planes, stride)) : null;
    }

    @Override public Variable forward(Variable x) {
        Variable out = bn1.forwardRelu(conv1.forward(x));
        out = bn2.forward(conv2.forward(out));
        return AddReluFn.apply(backend, out, downsample == null ? x : downsample.forward(x));
    }

    public Conv2d conv1() { return conv1; }
    public Conv2d conv2() { return conv2; }
    public BatchNorm2d bn1() { return bn1; }
    public BatchNorm2d bn2() { return bn2; }
    /** null when the identity is used as is. */
    public Sequential downsample() { return downsample; }
}
