package org.peft4j.api.data;

import java.nio.file.Path;

/**
 * Engine services for {@link DatasetProvider}s.
 *
 * <p>Contract: {@link #dataDirectory()} is the directory the user gave with {@code --data-dir} or
 * the {@code data-dir} config key, or null when none was given.
 */
public interface DataContext {

    /** The user's data directory, or null. */
    Path dataDirectory();

    /** The directory relative paths in the config resolve against; never null. */
    Path baseDirectory();
}
