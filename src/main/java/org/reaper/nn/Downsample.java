package org.reaper.nn;

import org.reaper.backend.Backend;

/** torchvision's projection shortcut: {@code Sequential(conv1x1(in, out, stride), BatchNorm2d(out))}. */
public final class Downsample {
    private Downsample() {}

    public static Sequential of(Backend b, int in, int out, int stride) {
        Sequential s = new Sequential(b);
        s.add(new Conv2d(b, in, out, 1, stride, 0, false));
        s.add(new BatchNorm2d(b, out));
        return s;
    }

    public static Conv2d conv(Sequential s) { return (Conv2d) s.get(0); }
    public static BatchNorm2d bn(Sequential s) { return (BatchNorm2d) s.get(1); }
}
