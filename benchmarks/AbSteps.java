import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Two builds of Reaper timed step for step in one JVM: each jar gets its own class loader (its own classes, JIT code,
 * worker threads and memory pool), and their training steps alternate A B B A, so both see the same phases of a
 * shared machine. On this 2-core VM the step time drifts by 1.5x within minutes, so runs minutes apart cannot show a
 * 5 % change; pairs of neighbouring steps can. Prints each build's median and the median of B/A over neighbouring
 * pairs with its interquartile range.
 *
 * <pre>java --add-modules jdk.incubator.vector benchmarks/AbSteps.java A.jar B.jar [model] [pairs] [threads] [batch]</pre>
 *
 * In place of a model, {@code conv-forward:G}, {@code conv-data:G} or {@code conv-filter:G} times one convolution pass
 * alone, G = batch,inChannels,height,width,outChannels,kernel,stride,pad (e.g. {@code conv-filter:128,64,8,8,64,3,1,1}),
 * on random inputs; batch is then ignored.
 *
 * Drives only public classes (models, SGD, tape, loss, backend) by reflection, so any two builds with those entry
 * points work.
 */
public class AbSteps {
    /** Something one build runs and times: a training step or one kernel call. */
    interface Timed extends AutoCloseable {
        String name();
        double step() throws Exception;
    }

    /** One jar in a class loader of its own (its own classes, JIT code, worker threads and memory pool), with a CPU backend. */
    abstract static class Loaded implements Timed {
        final String name;
        final URLClassLoader loader;
        final Object backend;

        Loaded(String jar, int threads) throws Exception {
            name = Path.of(jar).getFileName().toString();
            loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            backend = c("org.reaper.backend.Backends").getMethod("create", String.class, int.class).invoke(null, "cpu", threads);
        }

        final Class<?> c(String n) throws ClassNotFoundException { return Class.forName(n, true, loader); }

        @Override public String name() { return name; }

        @Override public void close() throws Exception {
            ((AutoCloseable) backend).close();
            loader.close();
        }
    }

    /** One build: the objects of one training setup, stepped by reflection. */
    static final class Build extends Loaded {
        final Object model, sgd, images, labels;
        final Method fromHost, shapeOf, constant, forward, compute, loss, record, backward, step, sync, zeroGrad, scopeOpen;

        Build(String jar, String modelName, int threads, int batch) throws Exception {
            super(jar, threads);
            Class<?> backendC = c("org.reaper.backend.Backend");
            Class<?> models = c("org.reaper.models.Models"), rs = c("org.reaper.rng.RandomStream"), init = c("org.reaper.nn.InitScheme");
            Class<?> modelC = c("org.reaper.models.Model"), sgdC = c("org.reaper.optim.Sgd"), shapeC = c("org.reaper.tensor.Shape");
            Class<?> tensorC = c("org.reaper.tensor.Tensor"), varC = c("org.reaper.autograd.Variable"), tapeC = c("org.reaper.autograd.Tape");
            Class<?> ce = c("org.reaper.autograd.ops.SoftmaxCrossEntropyFn"), scopeC = c("org.reaper.tensor.TensorScope");
            Object pytorchDefault = init.getField("PYTORCH_DEFAULT").get(null);
            model = models.getMethod("create", String.class, backendC, rs, int.class, init)
                    .invoke(null, modelName, backend, rs.getConstructor(long.class).newInstance(1L), 10, pytorchDefault);
            Object params = modelC.getMethod("namedParameters").invoke(model);
            sgd = sgdC.getConstructor(backendC, java.util.Map.class, float.class, float.class, float.class)
                    .newInstance(backend, params, 0.01f, 0.9f, 0f);
            modelC.getMethod("train", boolean.class).invoke(model, true);
            java.util.Random r = new java.util.Random(1);
            float[] img = new float[batch * 3 * 32 * 32], lab = new float[batch];
            for (int i = 0; i < img.length; i++) img[i] = (float) r.nextGaussian();
            for (int i = 0; i < batch; i++) lab[i] = r.nextInt(10);
            images = img;
            labels = lab;
            fromHost = backendC.getMethod("fromHost", float[].class, shapeC);
            shapeOf = shapeC.getMethod("of", int[].class);
            constant = varC.getMethod("constant", tensorC);
            forward = modelC.getMethod("forward", varC);
            compute = ce.getMethod("compute", backendC, varC, tensorC, float.class);
            loss = ce.getMethod("loss");
            record = tapeC.getMethod("record");
            backward = tapeC.getMethod("backward", backendC, varC);
            step = sgdC.getMethod("step");
            sync = backendC.getMethod("synchronize");
            zeroGrad = modelC.getMethod("zeroGrad");
            scopeOpen = scopeC.getMethod("open");
        }

        /** One full training step (upload, forward, loss, backward, SGD), in milliseconds. */
        @Override public double step() throws Exception {
            long t0 = System.nanoTime();
            float[] img = (float[]) images, lab = (float[]) labels;
            int n = lab.length;
            try (AutoCloseable scope = (AutoCloseable) scopeOpen.invoke(null); AutoCloseable tape = (AutoCloseable) record.invoke(null)) {
                Object x = fromHost.invoke(backend, img, shapeOf.invoke(null, (Object) new int[] {n, 3, 32, 32}));
                Object y = fromHost.invoke(backend, lab, shapeOf.invoke(null, (Object) new int[] {n}));
                Object logits = forward.invoke(model, constant.invoke(null, x));
                Object l = loss.invoke(compute.invoke(null, backend, logits, y, 0f));
                backward.invoke(tape, backend, l);
                step.invoke(sgd);
                sync.invoke(backend);
            } finally {
                zeroGrad.invoke(model);
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** One build's convolution pass on fixed random tensors: forward, backward-data or backward-filter. */
    static final class ConvPass extends Loaded {
        final Object[] args;
        final Method pass, sync;

        ConvPass(String jar, String which, int[] g, int threads) throws Exception {
            super(jar, threads);
            Class<?> backendC = c("org.reaper.backend.Backend"), geomC = c("org.reaper.backend.ConvGeometry");
            Class<?> tensorC = c("org.reaper.tensor.Tensor"), shapeC = c("org.reaper.tensor.Shape");
            Object geom = geomC.getConstructors()[0].newInstance(g[0], g[1], g[2], g[3], g[4], g[5], g[5], g[6], g[6], g[7], g[7]);
            Method fromHost = backendC.getMethod("fromHost", float[].class, shapeC), numel = shapeC.getMethod("numel");
            java.util.Random r = new java.util.Random(1);
            Object[] t = new Object[3];
            String[] shapes = {"inputShape", "weightShape", "outputShape"};
            for (int i = 0; i < 3; i++) {
                Object shape = geomC.getMethod(shapes[i]).invoke(geom);
                float[] v = new float[((Number) numel.invoke(shape)).intValue()];
                for (int k = 0; k < v.length; k++) v[k] = (float) r.nextGaussian();
                t[i] = fromHost.invoke(backend, v, shape);
            }
            Object x = t[0], w = t[1], y = t[2]; // y doubles as the output gradient of the two backward passes
            switch (which) {
                case "forward" -> {
                    pass = backendC.getMethod("conv2dForward", tensorC, tensorC, tensorC, tensorC, geomC);
                    args = new Object[] {x, w, null, y, geom};
                }
                case "data" -> {
                    pass = backendC.getMethod("conv2dBackwardData", tensorC, tensorC, tensorC, geomC);
                    args = new Object[] {y, w, x, geom}; // writes dx over x: its values do not matter to the timing
                }
                case "filter" -> {
                    pass = backendC.getMethod("conv2dBackwardFilter", tensorC, tensorC, tensorC, tensorC, geomC);
                    args = new Object[] {x, y, w, null, geom}; // writes dw over w
                }
                default -> throw new IllegalArgumentException("a convolution pass is forward, data or filter, got '" + which + "'");
            }
            sync = backendC.getMethod("synchronize");
        }

        @Override public double step() throws Exception {
            long t0 = System.nanoTime();
            pass.invoke(backend, args);
            sync.invoke(backend);
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java --add-modules jdk.incubator.vector benchmarks/AbSteps.java A.jar B.jar [model] [pairs] [threads] [batch]");
            System.exit(2);
        }
        for (int i = 0; i < 2; i++)
            if (!java.nio.file.Files.isRegularFile(Path.of(args[i]))) {
                System.err.println("AbSteps: no such jar: " + args[i] + " (build one with: mvn -q -DskipTests package, then copy target/reaper.jar)");
                System.exit(1);
            }
        String model = args.length > 2 ? args[2] : "resnet20";
        int pairs = count(args, 3, 20, "pairs"), threads = count(args, 4, 2, "threads"), batch = count(args, 5, 128, "batch");
        try {
            compare(args[0], args[1], model, pairs, threads, batch);
        } catch (java.lang.reflect.InvocationTargetException e) {   // the build refused an argument: its own message
            System.err.println("AbSteps: " + e.getCause().getMessage());
            System.exit(1);
        } catch (IllegalArgumentException e) {
            System.err.println("AbSteps: " + e.getMessage());
            System.exit(1);
        } catch (ReflectiveOperationException e) {
            System.err.println("AbSteps: a jar lacks an entry point this tool drives (" + e + ")");
            System.exit(1);
        }
    }

    /** args[i] as a whole number >= 1 (or the default when absent); exits with one line otherwise. */
    private static int count(String[] args, int i, int dflt, String what) {
        if (args.length <= i) return dflt;
        try {
            int v = Integer.parseInt(args[i]);
            if (v >= 1) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("AbSteps: " + what + " must be a whole number >= 1, got '" + args[i] + "'");
        System.exit(1);
        return dflt;
    }

    /** A training step of the model, or the convolution pass that {@code conv-PASS:G} names. */
    private static Timed open(String jar, String what, int threads, int batch) throws Exception {
        if (!what.startsWith("conv-")) return new Build(jar, what, threads, batch);
        int colon = what.indexOf(':');
        int[] g = colon < 0 ? new int[0] : Arrays.stream(what.substring(colon + 1).split(",")).mapToInt(v -> {
            try { return Integer.parseInt(v.trim()); } catch (NumberFormatException e) { return -1; }
        }).toArray();
        if (g.length != 8 || Arrays.stream(g).anyMatch(v -> v < 0))
            throw new IllegalArgumentException("a convolution is conv-PASS:batch,inChannels,height,width,outChannels,kernel,stride,pad (8 whole numbers), got '" + what + "'");
        return new ConvPass(jar, what.substring(5, colon), g, threads);
    }

    private static void compare(String jarA, String jarB, String model, int pairs, int threads, int batch) throws Exception {
        try (Timed a = open(jarA, model, threads, batch); Timed b = open(jarB, model, threads, batch)) {
            // warm-up: both builds until their JITs are done (the same rule as `reaper bench`, simplified: 30 s or 150 steps each)
            long warmEnd = System.nanoTime() + 30_000_000_000L;
            for (int i = 0; i < 150 && System.nanoTime() < warmEnd; i++) { a.step(); b.step(); }
            double[] ta = new double[2 * pairs], tb = new double[2 * pairs], ratio = new double[2 * pairs];
            for (int i = 0; i < pairs; i++) {
                // A B B A: each B step has an A step next to it, in either order
                double a1 = a.step(), b1 = b.step(), b2 = b.step(), a2 = a.step();
                ta[2 * i] = a1; ta[2 * i + 1] = a2; tb[2 * i] = b1; tb[2 * i + 1] = b2;
                ratio[2 * i] = b1 / a1; ratio[2 * i + 1] = b2 / a2;
            }
            Arrays.sort(ta);
            Arrays.sort(tb);
            Arrays.sort(ratio);
            int m = ratio.length;
            String what = model.startsWith("conv-") ? String.format(Locale.ROOT, "%s, %d threads, %d calls each", model, threads, m)
                    : String.format(Locale.ROOT, "%s, batch %d, %d threads, %d steps each", model, batch, threads, m);
            System.out.printf(Locale.ROOT, "%s: A %s median %.3f ms, B %s median %.3f ms; B/A over neighbours: median %.3f (quartiles %.3f-%.3f)%n",
                    what, a.name(), ta[m / 2], b.name(), tb[m / 2], ratio[m / 2], ratio[m / 4], ratio[3 * m / 4]);
        }
    }
}
