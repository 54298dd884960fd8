/**
 * The mutable model graph that peft4j's engine builds training artifacts from and that PEFT
 * methods edit.
 *
 * <p>A {@link org.peft4j.api.graph.Graph} mirrors an ONNX graph: {@link org.peft4j.api.graph.Node}s
 * in topological order, named values with a {@link org.peft4j.api.graph.DataType} and a static
 * shape ({@link org.peft4j.api.graph.ValueInfo}), constant {@link org.peft4j.api.graph.Tensor}
 * initializers, graph inputs and outputs. Operators use the ONNX default domain at the graph's
 * opset. Adapters reach the linear layers of an encoder through
 * {@link org.peft4j.api.graph.LinearLayer}, which names the layer as PyTorch users know it.
 */
package org.peft4j.api.graph;
