package org.reaper.repr;

import java.lang.reflect.Field;
import java.util.List;
import org.reaper.autograd.Function;
import org.reaper.autograd.Tape;

/**
 * The functions recorded on a tape so far, to read intermediate outputs (conv / batch-norm outputs) for the
 * activation and APoZ criteria. The Tape has no public accessor yet, so this reads its private list
 * (one place; replace with {@code tape.recorded()} once the autograd package offers it).
 */
final class TapeFunctions {
    private static final Field FUNCTIONS;

    static {
        try {
            FUNCTIONS = Tape.class.getDeclaredField("functions");
            FUNCTIONS.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TapeFunctions() {}

    @SuppressWarnings("unchecked")
    static List<Function> recorded(Tape tape) {
        try {
            return List.copyOf((List<Function>) FUNCTIONS.get(tape));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The output of the function that consumed {@code param} as an input (the unit's output), or null. */
    static org.reaper.tensor.Tensor outputOf(List<Function> fs, org.reaper.autograd.Variable param) {
        for (Function f : fs)
            for (var in : f.inputs()) if (in == param) return f.output().value();
        return null;
    }
}
