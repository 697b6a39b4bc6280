package org.reaper.repr;

import java.util.List;
import org.reaper.autograd.Function;
import org.reaper.autograd.Tape;

/**
 * The functions recorded on a tape so far, to read intermediate outputs (conv / batch-norm outputs) for the
 * activation and APoZ criteria.
 */
final class TapeFunctions {
    private TapeFunctions() {}

    static List<Function> recorded(Tape tape) { return tape.recorded(); }

    /** The output of the function that consumed {@code param} as an input (the unit's output), or null. */
    static org.reaper.tensor.Tensor outputOf(List<Function> fs, org.reaper.autograd.Variable param) {
        for (Function f : fs)
            for (var in : f.inputs()) if (in == param) return f.output().value();
        return null;
    }
}
