package org.peft4j.runner.plugins;

import java.util.List;
import org.peft4j.api.Identified;
import org.peft4j.api.data.DatasetProvider;
import org.peft4j.api.freeze.FreezeScheduler;
import org.peft4j.api.freeze.ParameterScorer;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.api.model.ModelProvider;

/** The identified extension points that configs select by id, with the words users see for them. */
public enum ExtensionPoints {
    METHOD(PeftMethod.class, "method"),
    SCORER(ParameterScorer.class, "scorer"),
    SCHEDULER(FreezeScheduler.class, "scheduler"),
    MODEL(ModelProvider.class, "model"),
    DATASET(DatasetProvider.class, "dataset");

    private final Class<? extends Identified> type;
    private final String word;

    ExtensionPoints(Class<? extends Identified> type, String word) {
        this.type = type;
        this.word = word;
    }

    /** The extension-point interface. */
    public Class<? extends Identified> type() {
        return type;
    }

    /** The config key and display word, such as {@code method}. */
    public String word() {
        return word;
    }

    /** All points, in display order. */
    public static List<ExtensionPoints> all() {
        return List.of(values());
    }
}
