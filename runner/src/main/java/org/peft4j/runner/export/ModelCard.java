package org.peft4j.runner.export;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@value #FILE} of a merged model directory holds: how to turn text into the model's inputs
 * and its logits into labels.
 *
 * <p>Contract: {@code labels} lists the class names by logit index (empty for regression);
 * {@code maxLength} is the sequence length the model was trained at (the ONNX model accepts any);
 * {@code tokenizer} names the tokenizer file next to the model, or is null when the encoder has no
 * tokenizer file, in which case {@code model} and {@code modelParams} name the peft4j model whose
 * tokenizer to use.
 *
 * @param version {@value #VERSION}
 * @param task {@code classification} or {@code regression}
 * @param labels class names by index
 * @param maxLength the training sequence length
 * @param tokenizer the tokenizer file name, or null
 * @param model the peft4j model provider id
 * @param modelParams its hyperparameters
 * @param baseModel the base model's Hugging Face name
 * @param method the PEFT method merged into the weights
 * @param run the run it came from
 */
public record ModelCard(int version, String task, List<String> labels, int maxLength, String tokenizer, String model,
        Map<String, Object> modelParams, String baseModel, String method, String run) {

    /** The file name. */
    public static final String FILE = "labels.json";
    /** The schema version. */
    public static final int VERSION = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    /** Writes this card to {@code dir}/{@value #FILE}. */
    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), GSON.toJson(this) + "\n", StandardCharsets.UTF_8);
    }

    /** Reads {@code dir}/{@value #FILE}, checking the fields prediction needs. */
    public static ModelCard read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            throw new IOException(dir + " holds no " + FILE + "; is it a directory written by `peft4j export onnx`?");
        }
        ModelCard c;
        try {
            c = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), ModelCard.class);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a model card: " + e.getMessage(), e);
        }
        if (c == null || c.version() != VERSION) {
            throw new IOException(file + ": unsupported version " + (c == null ? "none" : c.version()) + ", expected " + VERSION);
        }
        if (c.task() == null || c.labels() == null || c.maxLength() < 2) {
            throw new IOException(file + ": needs 'task', 'labels' and 'maxLength' >= 2");
        }
        if ("classification".equals(c.task()) && c.labels().size() < 2) {
            throw new IOException(file + ": a classification model needs at least 2 labels, found " + c.labels());
        }
        if (c.tokenizer() == null && c.model() == null) {
            throw new IOException(file + ": names neither a 'tokenizer' file nor a 'model' whose tokenizer to use");
        }
        return c;
    }
}
