package org.reaper.models;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reaper.ReaperException;
import org.reaper.backend.Backend;
import org.reaper.nn.Init;
import org.reaper.nn.InitScheme;
import org.reaper.rng.RandomStream;

/**
 * Model presets by name, initialised from the run's RandomStream: the CIFAR models (32x32 RGB inputs) and
 * torchvision's ImageNet ResNets (resnet18/34/50/101/152, any input size; "-small" for 32/64-px images) and VGG-16
 * ({@code vgg16-imagenet}, any input of at least 32x32). {@code vgg16} is the CIFAR VGG-16 with batch norm.
 */
public final class Models {
    private static final Pattern VANILLA = Pattern.compile("c(\\d+)-(\\d+)(-pool-bn|-bn-pool|-pool|-bn)?");
    private static final Pattern RESNET = Pattern.compile("resnet(\\d+)");
    /** torchvision's depths; "-small": the 3x3 stem without max-pool for 32/64-px images. */
    private static final Pattern RESNET_IMAGENET = Pattern.compile("resnet(18|34|50|101|152)(-small)?");

    private Models() {}

    /** The names accepted by {@link #create} (cN-X[-pool][-bn] generalises the c3-32 presets). */
    public static List<String> names() {
        return List.of("c3-32", "c3-32-pool", "c3-32-bn", "c3-32-pool-bn", "cN-X[-pool][-bn]",
                "resnet20", "resnet32", "resnet56", "resnet110", "vgg16",
                "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "resnet18-small", "resnet50-small", "vgg16-imagenet");
    }

    /** The images a model is built for: channels x height x width. */
    public record Input(int channels, int height, int width) {
        /** CIFAR's 3 x 32 x 32, what {@link #create(String, Backend, RandomStream, int, InitScheme)} assumes. */
        public static final Input CIFAR = new Input(3, 32, 32);
    }

    /**
     * The model for images of shape {@code in}: the cN-X family takes any channel count and size (its classifier reads
     * what the convs leave: each 2x2 pooling floors, 28 -> 14 -> 7 -> 3), the CIFAR ResNets any channel count and size
     * (global average pooling); the other models need 3-channel images and are built as {@link #create} builds them.
     */
    public static Model create(String name, Backend b, RandomStream rng, int numClasses, InitScheme init, Input in) {
        check(name);
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        Matcher v = VANILLA.matcher(n), r = RESNET.matcher(n), im = RESNET_IMAGENET.matcher(n);
        Model m;
        if (v.matches()) {
            String flags = v.group(3) == null ? "" : v.group(3);
            int layers = parse(v.group(1), name), filters = parse(v.group(2), name);
            if (flags.contains("-pool")) {
                int h = in.height(), w = in.width();
                for (int i = 0; i < layers; i++, h /= 2, w /= 2)
                    if (h < 2 || w < 2)
                        throw new ReaperException("model '" + name + "': " + layers + " 2x2 poolings do not fit a " + in.height() + "x" + in.width()
                                + " input; use at most " + i + " layers with -pool");
            }
            m = new VanillaConvNet(b, n, in.channels(), in.height(), in.width(), layers, filters, flags.contains("-bn"), flags.contains("-pool"), numClasses);
        } else if (r.matches() && !(im.matches() && ResNetImageNet.hasDepth(parse(im.group(1), name)))) {
            m = new ResNetCifar(b, n, parse(r.group(1), name), in.channels(), numClasses);
        } else if (in.channels() == 3) {
            // checked before anything is built or written: the forward pass would refuse these sizes only at the first step
            if (n.equals("vgg16-imagenet") && (in.height() < 32 || in.width() < 32))
                throw new ReaperException("vgg16-imagenet needs images of at least 32x32 (five 2x2 max-pools), got " + in.height() + "x" + in.width()
                        + "; use --image-size 32 or more");
            return create(name, b, rng, numClasses, init);
        } else {
            throw new ReaperException("model '" + name + "' takes 3-channel (RGB) images but the data has " + in.channels()
                    + "; use a cN-X model (c3-32, c3-32-pool, ...) or a CIFAR ResNet (resnet20, ...)");
        }
        Init.initialize(m, init, rng);
        return m;
    }

    /** Throws the one-line error {@link #create} would throw for an unknown name, without building anything. */
    public static void check(String name) { build(name, null, null, 10, false); }

    public static Model create(String name, Backend b, RandomStream rng, int numClasses, InitScheme init) {
        Model m = build(name, b, rng, numClasses, true);
        Init.initialize(m, init, rng);
        return m;
    }

    /**
     * The model for {@code name}; with {@code make} false only checks the name and returns null. {@code rng} is
     * the stream that dropout layers draw from (vgg16-imagenet), the one the model is then initialised from.
     */
    private static Model build(String name, Backend b, RandomStream rng, int numClasses, boolean make) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        Matcher v = VANILLA.matcher(n);
        if (v.matches()) {
            String flags = v.group(3) == null ? "" : v.group(3);
            int layers = parse(v.group(1), name), filters = parse(v.group(2), name);
            if (layers < 1 || filters < 1) throw unknown(name);
            if (layers > 5 && flags.contains("-pool"))
                throw new ReaperException("model '" + name + "': " + layers + " 2x2 poolings do not fit a 32x32 input; use at most 5 layers with -pool");
            return !make ? null : new VanillaConvNet(b, n, 3, 32, layers, filters, flags.contains("-bn"), flags.contains("-pool"), numClasses);
        }
        Matcher im = RESNET_IMAGENET.matcher(n);
        if (im.matches() && ResNetImageNet.hasDepth(parse(im.group(1), name)))
            return !make ? null : new ResNetImageNet(b, n, parse(im.group(1), name), im.group(2) != null, numClasses);
        Matcher r = RESNET.matcher(n);
        if (r.matches()) {
            int depth = parse(r.group(1), name);
            if (depth < 8 || (depth - 2) % 6 != 0) throw unknown(name);
            return !make ? null : new ResNetCifar(b, n, depth, numClasses);
        }
        if (n.equals("vgg16")) return !make ? null : new VggCifar(b, n, VggCifar.VGG16, numClasses);
        if (n.equals("vgg16-imagenet")) return !make ? null : new VggImageNet(b, n, VggImageNet.VGG16, numClasses, rng);
        throw unknown(name);
    }

    private static int parse(String digits, String name) {
        try { return Integer.parseInt(digits); } catch (NumberFormatException e) { throw unknown(name); }
    }

    private static ReaperException unknown(String name) {
        return new ReaperException("unknown model '" + name + "'; valid names: " + String.join(", ", names()));
    }
}
