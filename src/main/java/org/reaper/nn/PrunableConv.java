package org.reaper.nn;

/**
 * One conv layer as RePr sees it: its filters (rows of the OIHW weight), the batch norm right after
 * it, and the layer that consumes its output channels directly.
 *
 * @param name              module name, e.g. "features.0" or "layer1.0.conv1"
 * @param bn                the BatchNorm2d normalising this conv's output, or null
 * @param nextConv          the conv reading this conv's output channels directly (its input channel c
 *                          = this conv's filter c), or null (e.g. when a residual add intervenes)
 * @param nextLinear        the Linear reading the flattened output, or null
 * @param nextLinearSpatial H*W per channel of the flattened output when nextLinear is set (input
 *                          features c*spatial .. (c+1)*spatial-1 belong to channel c), else 0
 */
public record PrunableConv(String name, Conv2d conv, BatchNorm2d bn, Conv2d nextConv, Linear nextLinear, int nextLinearSpatial) {}
