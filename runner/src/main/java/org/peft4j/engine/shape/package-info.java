/**
 * Static shape and type inference for peft4j graphs, constant folding of shape arithmetic, and
 * specialisation of a graph to fixed batch and sequence extents.
 */
package org.peft4j.engine.shape;
