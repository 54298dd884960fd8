package org.peft4j.zoo.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.api.model.ModelContext;
import org.peft4j.api.model.ModelProvider;
import org.peft4j.zoo.tokenizer.HuggingFaceTextTokenizer;

/**
 * A pre-trained encoder whose fp32 ONNX export and {@code tokenizer.json} ship as classpath
 * resources inside a Maven artifact.
 *
 * <p>Contract: {@link #load} never reaches the network. It extracts both resources once into
 * {@link ModelContext#cacheDirectory()} (see {@link ResourceCache}), reads the graph with
 * {@link ModelContext#graphReader()}, opens the tokenizer, and returns an {@link OnnxEncoder}. The
 * loaded encoder is kept per cache directory, so loading the same model again in one process
 * neither extracts nor parses it again. A missing resource or an unreadable file is an
 * {@link IOException} naming it.
 */
public abstract class BundledEncoderProvider implements ModelProvider {

    private final String onnxResource;
    private final String tokenizerResource;
    private final String huggingFaceName;
    private final java.util.Map<Path, OnnxEncoder> loaded = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param onnxResource the classpath resource of the ONNX export
     * @param tokenizerResource the classpath resource of the tokenizer.json
     * @param huggingFaceName the Hugging Face model id
     */
    protected BundledEncoderProvider(String onnxResource, String tokenizerResource, String huggingFaceName) {
        this.onnxResource = Objects.requireNonNull(onnxResource, "onnxResource");
        this.tokenizerResource = Objects.requireNonNull(tokenizerResource, "tokenizerResource");
        this.huggingFaceName = Objects.requireNonNull(huggingFaceName, "huggingFaceName");
    }

    /** The Hugging Face model id. */
    public String huggingFaceName() {
        return huggingFaceName;
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return List.of();
    }

    @Override
    public EncoderModel load(HyperParameters params, ModelContext context) throws IOException {
        Path cache = context.cacheDirectory().toAbsolutePath().normalize();
        OnnxEncoder known = loaded.get(cache);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            known = loaded.get(cache);
            if (known != null) {
                return known;
            }
            ClassLoader loader = getClass().getClassLoader();
            Path onnx = ResourceCache.extract(onnxResource, loader, cache);
            Path tokenizerFile = ResourceCache.extract(tokenizerResource, loader, cache);
            Graph graph = context.graphReader().read(onnx);
            OnnxEncoder encoder;
            try {
                encoder = new OnnxEncoder(id(), huggingFaceName, graph, onnx.toString(), OnnxEncoder.LAST_HIDDEN_STATE,
                        HuggingFaceTextTokenizer.open(tokenizerFile), tokenizerFile);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
            loaded.put(cache, encoder);
            return encoder;
        }
    }
}
