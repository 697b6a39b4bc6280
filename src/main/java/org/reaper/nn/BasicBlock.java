package org.reaper.nn;

import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.AddReluFn;
import org.reaper.backend.Backend;

/**
 * CIFAR ResNet basic block (He et al. 2016): relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)),
 * 3x3 convs without bias, option-A shortcut when the stride or the width changes.
 * Names: conv1, bn1, conv2, bn2 (the shortcut has no parameters).
 */
public final class BasicBlock extends Module {
    private final Conv2d conv1, conv2;
    private final BatchNorm2d bn1, bn2;
    private final OptionAShortcut shortcut;

    public BasicBlock(Backend b, int inPlanes, int planes, int stride) {
        super(b);
        conv1 = registerModule("conv1", new Conv2d(b, inPlanes, planes, 3, stride, 1, false));
        bn1 = registerModule("bn1", new BatchNorm2d(b, planes));
        conv2 = registerModule("conv2", new Conv2d(b, planes, planes, 3, 1, 1, false));
        bn2 = registerModule("bn2", new BatchNorm2d(b, planes));
        shortcut = (stride != 1 || inPlanes != planes) ? registerModule("shortcut", new OptionAShortcut(b, inPlanes, planes, stride)) : null;
    }

    @Override public Variable forward(Variable x) {
        Variable out = bn1.forwardRelu(conv1.forward(x));
        out = bn2.forward(conv2.forward(out));
        return AddReluFn.apply(backend, out, shortcut == null ? x : shortcut.forward(x));
    }

    public Conv2d conv1() { return conv1; }
    public Conv2d conv2() { return conv2; }
    public BatchNorm2d bn1() { return bn1; }
    public BatchNorm2d bn2() { return bn2; }
}
