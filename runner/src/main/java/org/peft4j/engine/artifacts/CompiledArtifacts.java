package org.peft4j.engine.artifacts;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.peft4j.api.graph.ValueInfo;

/**
 * One compiled artifact directory: the files for one trainable set, and what the engine needs to
 * feed them.
 *
 * <p>Contract: {@link #trainable()} lists the trainable parameters in the order of the optimizer's
 * inputs; {@link #batchInputs()} are the non-parameter inputs of {@code training_model.onnx}
 * (batch tensors, {@code labels}, {@code example_weight}) and {@link #evalInputs()} those of
 * {@code eval_model.onnx}; {@link #sharedTraining()} and {@link #sharedEval()} name the
 * initializers stored in {@value ArtifactCompiler#FROZEN_WEIGHTS}, which sessions receive as shared
 * external initializers. FLOP counts are per run of the respective model.
 *
 * @param key the content key of the trainable set and baked constants
 * @param directory the directory holding the files
 * @param trainable trainable parameters, optimizer order
 * @param frozen managed parameters that trained earlier and are now baked constants
 * @param batchInputs non-parameter inputs of the training model
 * @param evalInputs non-parameter inputs of the evaluation model
 * @param sharedTraining external initializers of the training model
 * @param sharedEval external initializers of the evaluation model
 * @param logitsShape the shape of {@code logits}
 * @param trainingFlops operations of one training-model run (forward, loss, backward)
 * @param optimizerFlops operations of one optimizer run
 * @param evalFlops operations of one evaluation run
 */
public record CompiledArtifacts(String key, Path directory, List<ManagedParameter> trainable, Set<String> frozen,
        List<ValueInfo> batchInputs, List<ValueInfo> evalInputs, List<String> sharedTraining, List<String> sharedEval,
        long[] logitsShape, long trainingFlops, long optimizerFlops, long evalFlops) {

    public CompiledArtifacts {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(directory, "directory");
        trainable = List.copyOf(trainable);
        frozen = Set.copyOf(frozen);
        batchInputs = List.copyOf(batchInputs);
        evalInputs = List.copyOf(evalInputs);
        sharedTraining = List.copyOf(sharedTraining);
        sharedEval = List.copyOf(sharedEval);
        logitsShape = logitsShape.clone();
    }

    /** {@code training_model.onnx}. */
    public Path trainingModel() {
        return directory.resolve(ArtifactCompiler.TRAINING_MODEL);
    }

    /** {@code eval_model.onnx}. */
    public Path evalModel() {
        return directory.resolve(ArtifactCompiler.EVAL_MODEL);
    }

    /** {@code optimizer_model.onnx}. */
    public Path optimizerModel() {
        return directory.resolve(ArtifactCompiler.OPTIMIZER_MODEL);
    }

    /** Operations of one optimizer step: training model plus optimizer model. */
    public long flopsPerStep() {
        return trainingFlops + optimizerFlops;
    }

    /** The number of trainable scalars, the head excluded. */
    public long trainableAdapterCount() {
        return trainable.stream().filter(p -> !p.head()).mapToLong(ManagedParameter::elementCount).sum();
    }

    /** The names of the trainable parameters, in order. */
    public List<String> trainableNames() {
        return trainable.stream().map(ManagedParameter::name).toList();
    }

    @Override
    public long[] logitsShape() {
        return logitsShape.clone();
    }
}
