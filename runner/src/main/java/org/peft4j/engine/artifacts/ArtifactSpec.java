package org.peft4j.engine.artifacts;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.peft4j.api.data.Dataset.TaskType;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.engine.optim.AdamWSettings;
import org.peft4j.engine.optim.ParameterGroup;

/**
 * Everything the {@link ArtifactCompiler} needs besides the trainable set: the model, its task,
 * the fixed batch shapes, the managed parameters and the optimizer.
 *
 * <p>Contract (checked by the constructor, with messages naming the offending value): the model
 * has an output or value named {@code logits}; every key of {@code batchShapes} is a graph input
 * of the model with the same rank, and the first extent of every batch shape is the same batch
 * size; every managed parameter is a float initializer of the model with its declared shape and a
 * valid group; names are distinct and do not collide with the reserved input names
 * {@value LossBuilder#LABELS} and {@value LossBuilder#EXAMPLE_WEIGHT}. Classification needs
 * {@code numLabels >= 2} and logits {@code [B, numLabels]}; regression {@code numLabels == 1}.
 *
 * @param model the model graph with adapters and head; not modified
 * @param logits the value holding the head's output, {@code [B, numLabels]}
 * @param task classification (weighted cross-entropy) or regression (weighted squared error)
 * @param numLabels number of classes, 1 for regression
 * @param batchShapes the fixed extents of the model's batch inputs ({@code input_ids}, ...)
 * @param parameters the adapter and head tensors the engine manages
 * @param groups the optimizer parameter groups
 * @param adamW the AdamW constants
 */
public record ArtifactSpec(Graph model, String logits, TaskType task, int numLabels, Map<String, long[]> batchShapes,
        List<ManagedParameter> parameters, List<ParameterGroup> groups, AdamWSettings adamW) {

    public ArtifactSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(adamW, "adamW");
        LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
        batchShapes.forEach((k, v) -> shapes.put(k, v.clone()));
        batchShapes = java.util.Collections.unmodifiableMap(shapes);
        parameters = List.copyOf(parameters);
        groups = List.copyOf(groups);
        if (task == TaskType.CLASSIFICATION && numLabels < 2) {
            throw new IllegalArgumentException("classification needs at least 2 labels, got " + numLabels);
        }
        if (task == TaskType.REGRESSION && numLabels != 1) {
            throw new IllegalArgumentException("regression needs exactly 1 output, got " + numLabels);
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("at least one optimizer parameter group is required");
        }
        if (batchShapes.isEmpty()) {
            throw new IllegalArgumentException("no batch input shapes given for model '" + model.name() + "'");
        }
        long batch = -1;
        for (Map.Entry<String, long[]> e : batchShapes.entrySet()) {
            ValueInfo in = model.inputs().stream().filter(v -> v.name().equals(e.getKey())).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("model '" + model.name() + "' has no input '" + e.getKey() + "'; inputs are "
                            + model.inputs().stream().map(ValueInfo::name).toList()));
            long[] s = e.getValue();
            if (s.length != in.rank() || s.length == 0) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' has rank " + in.rank() + ", got batch shape "
                        + Arrays.toString(s));
            }
            if (batch >= 0 && s[0] != batch) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' has batch extent " + s[0] + ", others " + batch);
            }
            batch = s[0];
            if (batch < 1) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' needs a positive batch extent, got " + batch);
            }
        }
        if (model.producer(logits) == null && !model.isInput(logits)) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no value '" + logits + "' (the logits)");
        }
        Set<String> names = new HashSet<>();
        for (ManagedParameter p : parameters) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' is declared twice");
            }
            if (p.name().equals(LossBuilder.LABELS) || p.name().equals(LossBuilder.EXAMPLE_WEIGHT)) {
                throw new IllegalArgumentException("parameter name '" + p.name() + "' is reserved for a training input");
            }
            Tensor t = model.initializer(p.name());
            if (t == null) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' is not an initializer of model '" + model.name() + "'");
            }
            if (t.type() != DataType.FLOAT || !Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' is declared FLOAT" + Arrays.toString(p.shape())
                        + " but the model holds " + t.type() + Arrays.toString(t.shape()));
            }
            if (p.group() >= groups.size()) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' names group " + p.group() + " of " + groups.size());
            }
        }
        if (parameters.stream().noneMatch(ManagedParameter::trainable)) {
            throw new IllegalArgumentException("no managed parameter is trainable");
        }
    }

    /** The fixed batch size. */
    public int batchSize() {
        return Math.toIntExact(batchShapes.values().iterator().next()[0]);
    }

    /** The managed parameter of that name, or null. */
    public ManagedParameter parameter(String name) {
        for (ManagedParameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
