package org.peft4j.runner.export;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.runner.compare.TrainedRun;

/**
 * Writes a run as one merged ONNX inference model: {@value #MODEL} (see
 * {@link RunGraphs#mergedGraph}: the base encoder with every adapter folded into its weights and
 * the head, inputs {@code input_ids}, {@code attention_mask} and, when the encoder takes them,
 * {@code token_type_ids}, int64 {@code [batch, sequence]}; output {@code logits} float
 * {@code [batch, numOutputs]}; {@code batch} and {@code sequence} are symbolic dimensions), the
 * encoder's {@value #TOKENIZER} when it has one, and {@value ModelCard#FILE}.
 */
public final class MergedModelExporter {

    /** The model file. */
    public static final String MODEL = "model.onnx";
    /** The tokenizer file. */
    public static final String TOKENIZER = "tokenizer.json";

    private MergedModelExporter() {
    }

    /**
     * Exports a run.
     *
     * @param state the trained run
     * @param rebuilt its graph rebuilt by {@link RunGraphs#rebuild}
     * @param output the directory; created when missing
     * @return the merged graph that was written
     */
    public static Graph export(TrainedState state, RunGraphs.Rebuilt rebuilt, Path output) throws IOException {
        Graph merged = RunGraphs.mergedGraph(rebuilt, state.values());
        Files.createDirectories(output);
        OnnxMl.ModelProto model = namedDimensions(new OnnxModelIO().toModel(merged));
        Path tmp = output.resolve(MODEL + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            model.writeTo(out);
        }
        Files.move(tmp, output.resolve(MODEL), StandardCopyOption.REPLACE_EXISTING);
        EncoderModel encoder = rebuilt.model();
        String tokenizer = null;
        if (encoder.tokenizerFile() != null) {
            Files.copy(encoder.tokenizerFile(), output.resolve(TOKENIZER), StandardCopyOption.REPLACE_EXISTING);
            tokenizer = TOKENIZER;
        } else {
            Files.deleteIfExists(output.resolve(TOKENIZER));
        }
        TrainedRun.Description d = state.description();
        new ModelCard(ModelCard.VERSION, RunGraphs.task(d).name().toLowerCase(java.util.Locale.ROOT), d.labels(), d.maxLength(), tokenizer,
                d.provenance().model(), d.provenance().modelParams() == null ? Map.of() : d.provenance().modelParams(), encoder.huggingFaceName(),
                d.provenance().method(), d.runId()).write(output);
        return merged;
    }

    /**
     * Names the symbolic extents of the inputs {@code batch} and {@code sequence} and the first
     * extent of the output {@code batch}, so that runtimes see one batch dimension.
     */
    static OnnxMl.ModelProto namedDimensions(OnnxMl.ModelProto model) {
        OnnxMl.ModelProto.Builder mb = model.toBuilder();
        OnnxMl.GraphProto.Builder gb = mb.getGraphBuilder();
        for (OnnxMl.ValueInfoProto.Builder v : gb.getInputBuilderList()) {
            rename(v, "batch", "sequence");
        }
        for (OnnxMl.ValueInfoProto.Builder v : gb.getOutputBuilderList()) {
            rename(v, "batch", null);
        }
        return mb.build();
    }

    private static void rename(OnnxMl.ValueInfoProto.Builder v, String first, String second) {
        if (!v.hasType() || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return;
        }
        OnnxMl.TensorShapeProto.Builder shape = v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        for (int i = 0; i < shape.getDimCount() && i < 2; i++) {
            String name = i == 0 ? first : second;
            if (name != null && !shape.getDim(i).hasDimValue()) {
                shape.setDim(i, OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(name));
            }
        }
    }
}
