package org.peft4j.zoo;

import java.nio.file.Path;
import org.peft4j.api.data.DataContext;

/** Data contexts for dataset tests. */
public final class DataContexts {

    private DataContexts() {
    }

    /** A data context with the given directories. */
    public static DataContext of(Path dataDirectory, Path baseDirectory) {
        return new DataContext() {
            @Override
            public Path dataDirectory() {
                return dataDirectory;
            }

            @Override
            public Path baseDirectory() {
                return baseDirectory;
            }
        };
    }
}
