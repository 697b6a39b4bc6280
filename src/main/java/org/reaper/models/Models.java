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
 * torchvision's ImageNet ResNets (resnet18/34/50/101/152, any input size; "-small" for 32/64-px images).
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
                "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "resnet18-small", "resnet50-small");
    }

    /** Throws the one-line error {@link #create} would throw for an unknown name, without building anything. */
    public static void check(String name) { build(name, null, 10, false); }

    public static Model create(String name, Backend b, RandomStream rng, int numClasses, InitScheme init) {
        Model m = build(name, b, numClasses, true);
        Init.initialize(m, init, rng);
        return m;
    }

    /** The model for {@code name}; with {@code make} false only checks the name and returns null. */
    private static Model build(String name, Backend b, int numClasses, boolean make) {
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
        throw unknown(name);
    }

    private static int parse(String digits, String name) {
        try { return Integer.parseInt(digits); } catch (NumberFormatException e) { throw unknown(name); }
    }

    private static ReaperException unknown(String name) {
        return new ReaperException("unknown model '" + name + "'; valid names: " + String.join(", ", names()));
    }
}
