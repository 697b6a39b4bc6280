package org.reaper.cli;

import jdk.incubator.vector.FloatVector;

/** Touches the Vector API; only call when {@link Main#vectorApiPresent()} (else the class fails to link). */
final class VectorProbe {
    private VectorProbe() {}

    static int preferredBits() { return FloatVector.SPECIES_PREFERRED.vectorBitSize(); }
}
