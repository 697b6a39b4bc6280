package org.reaper.nn;

import java.util.List;

/** A model whose conv filters RePr can rank, drop and re-initialise. */
public interface Prunable {
    /** Every prunable conv layer, in forward order. */
    List<PrunableConv> prunableConvs();
}
