package org.peft4j.api.model;

import java.io.IOException;
import java.nio.file.Path;
import org.peft4j.api.graph.Graph;

/**
 * Reads an ONNX model file into a {@link Graph}; implemented by the engine.
 *
 * <p>Contract: external data next to the file is resolved; a file that is not a valid ONNX model
 * is an {@link IOException} naming it.
 */
public interface GraphReader {

    /** The main graph of the ONNX model at {@code onnxFile}. */
    Graph read(Path onnxFile) throws IOException;
}
