package org.peft4j.api.model;

import java.nio.file.Path;

/**
 * Engine services for {@link ModelProvider}s.
 *
 * <p>Contract: {@link #cacheDirectory()} exists and is writable; providers extract resources there
 * once (write to a temporary file, then rename) and reuse them afterwards.
 */
public interface ModelContext {

    /** A directory for extracted model files; never null. */
    Path cacheDirectory();

    /** Reads ONNX files into graphs; never null. */
    GraphReader graphReader();
}
