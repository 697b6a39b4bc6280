package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.AddReluFn;
import org.reaper.backend.Backend;

/**
 * torchvision's ResNet Bottleneck (v1.5: the stride sits on the 3x3 conv): 1x1 (planes) -> 3x3 (planes,
 * stride) -> 1x1 (4 * planes), each with BN, plus the identity or a 1x1 conv + BN {@code downsample}.
 */
public final class Bottleneck extends Module {
    public static final int EXPANSION = 4;
    private final Conv2d conv1, conv2, conv3;
    private final BatchNorm2d bn1, bn2, bn3;
    private final Sequential downsample;

    public Bottleneck(Backend b, int inPlanes, int planes, int stride) {
        super(b);
        int out = planes * EXPANSION;
        conv1 = registerModule("conv1", new Conv2d(b, inPlanes, planes, 1, 1, 0, false));
        bn1 = registerModule("bn1", new BatchNorm2d(b, planes));
        conv2 = registerModule("conv2", new Conv2d(b, planes, planes, 3, stride, 1, false));
        bn2 = registerModule("bn2", new BatchNorm2d(b, planes));
        conv3 = registerModule("conv3", new Conv2d(b, planes, out, 1, 1, 0, false));
        bn3 = registerModule("bn3", new BatchNorm2d(b, out));
        downsample = stride != 1 || inPlanes != out ? registerModule("downsample", Downsample.of(b, inPlanes, out, stride)) : null;
    }

    @Override public Variable forward(Variable x) {
        Variable out = bn1.forwardRelu(conv1.forward(x));
        out = bn2.forwardRelu(conv2.forward(out));
        out = bn3.forward(conv3.forward(out));
        return AddReluFn.apply(backend, out, downsample == null ? x : downsample.forward(x));
    }

    public Conv2d conv1() { return conv1; }
    public Conv2d conv2() { return conv2; }
    public Conv2d conv3() { return conv3; }
    public BatchNorm2d bn1() { return bn1; }
    public BatchNorm2d bn2() { return bn2; }
    public BatchNorm2d bn3() { return bn3; }
    public Sequential downsample() { return downsample; }
}
