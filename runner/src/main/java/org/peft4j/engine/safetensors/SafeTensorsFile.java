package org.peft4j.engine.safetensors;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The validated contents of a safetensors file.
 *
 * @param file where it was read from
 * @param tensors tensors by name, read-only
 * @param metadata the {@code __metadata__} strings, read-only, possibly empty
 */
public record SafeTensorsFile(Path file, Map<String, SafeTensor> tensors, Map<String, String> metadata) {

    public SafeTensorsFile {
        Objects.requireNonNull(file, "file");
        tensors = Map.copyOf(tensors);
        metadata = Map.copyOf(metadata);
    }

    /**
     * The named tensor.
     *
     * @throws SafeTensorsException naming the file when it is absent
     */
    public SafeTensor require(String name) throws SafeTensorsException {
        SafeTensor t = tensors.get(name);
        if (t == null) {
            throw new SafeTensorsException(file, "missing tensor '" + name + "'");
        }
        return t;
    }
}
