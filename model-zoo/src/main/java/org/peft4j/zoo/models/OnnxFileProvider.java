package org.peft4j.zoo.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.api.model.ModelContext;
import org.peft4j.api.model.ModelProvider;
import org.peft4j.zoo.tokenizer.HuggingFaceTextTokenizer;
import org.pf4j.Extension;

/**
 * {@code onnx-file}: the user's own encoder, exported from Hugging Face Transformers to ONNX in
 * fp32 (inputs {@code input_ids}, {@code attention_mask}, optionally {@code token_type_ids}; the
 * hidden-state output; linear layers as {@code MatMul} with an {@code [in, out]} weight feeding
 * {@code Add} with a named {@code <module>.bias}), with its {@code tokenizer.json}.
 *
 * <p>Hyperparameters: {@code path} (the {@code .onnx} file, required), {@code tokenizer} (the
 * {@code tokenizer.json}, required), {@code output} (the hidden-state output, default
 * {@code last_hidden_state}) and {@code hf-name} (the Hugging Face id recorded in exported
 * adapters, default the file's name). Relative paths resolve against the working directory. The
 * files are read in place, never copied or downloaded. A missing file is a
 * {@link org.peft4j.api.config.ConfigurationException} naming the key; a file that is not a
 * usable encoder is an {@link IOException} naming the file.
 */
@Extension
public final class OnnxFileProvider implements ModelProvider {

    static final HyperParameter<String> PATH = HyperParameter.ofString("path", null, "The encoder's fp32 .onnx file (required).");
    static final HyperParameter<String> TOKENIZER = HyperParameter.ofString("tokenizer", null,
            "The encoder's Hugging Face tokenizer.json (required).");
    static final HyperParameter<String> OUTPUT = HyperParameter.ofString("output", OnnxEncoder.LAST_HIDDEN_STATE,
            "The graph output holding the hidden states [batch, sequence, hidden].");
    static final HyperParameter<String> HF_NAME = HyperParameter.ofString("hf-name", null,
            "The Hugging Face model id recorded in exported adapters; defaults to the file name.");

    @Override
    public String id() {
        return "onnx-file";
    }

    @Override
    public String description() {
        return "Your own Hugging Face encoder exported to ONNX (fp32), with its tokenizer.json.";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return List.of(PATH, TOKENIZER, OUTPUT, HF_NAME);
    }

    @Override
    public EncoderModel load(HyperParameters params, ModelContext context) throws IOException {
        Path onnx = existing(params, PATH);
        Path tokenizerFile = existing(params, TOKENIZER);
        String fileName = onnx.getFileName().toString();
        String hfName = params.get(HF_NAME.key(), String.class, fileName.endsWith(".onnx")
                ? fileName.substring(0, fileName.length() - 5) : fileName);
        Graph graph = context.graphReader().read(onnx);
        try {
            return new OnnxEncoder(id(), hfName, graph, onnx.toString(), params.get(OUTPUT), HuggingFaceTextTokenizer.open(tokenizerFile),
                    tokenizerFile);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Path existing(HyperParameters params, HyperParameter<String> key) {
        Path p = Path.of(params.get(key)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw params.invalid(key.key(), "no such file: " + p);
        }
        return p;
    }
}
