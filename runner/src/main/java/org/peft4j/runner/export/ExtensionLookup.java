package org.peft4j.runner.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.Identified;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.runner.ModelLoading;
import org.peft4j.runner.Peft4jRuntime;
import org.peft4j.runner.config.ValidatedHyperParameters;
import org.peft4j.runner.plugins.ExtensionPoints;

/**
 * Finds the PEFT methods and models that a saved run names, by id, to rebuild its graph.
 *
 * <p>Contract: an unknown id is a {@link ConfigurationException} naming the id and the known ones;
 * hyperparameters are validated against the extension's declarations, so a run saved by a plugin
 * version with other keys fails with the key named. Models are loaded once per id and parameters.
 */
public interface ExtensionLookup {

    /** The method {@code id} configured with {@code params} (effective values as saved). */
    Configured<PeftMethod> method(String id, Map<String, Object> params);

    /** The model {@code id} loaded with {@code params}. */
    EncoderModel model(String id, Map<String, Object> params) throws IOException;

    /**
     * An extension and its validated hyperparameters.
     *
     * @param extension the extension
     * @param params its hyperparameters
     * @param <T> the extension type
     */
    record Configured<T>(T extension, HyperParameters params) {
        public Configured {
            Objects.requireNonNull(extension, "extension");
            Objects.requireNonNull(params, "params");
        }
    }

    /**
     * Lookups through a started runtime's plugins; model files are extracted to
     * {@code cacheDirectory}.
     */
    static ExtensionLookup of(Peft4jRuntime runtime, Path cacheDirectory) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        Map<String, EncoderModel> loaded = new LinkedHashMap<>();
        return new ExtensionLookup() {
            @Override
            public Configured<PeftMethod> method(String id, Map<String, Object> params) {
                PeftMethod method = (PeftMethod) find(runtime, ExtensionPoints.METHOD, id);
                return new Configured<>(method, validated(method, params, "method '" + id + "'"));
            }

            @Override
            public EncoderModel model(String id, Map<String, Object> params) throws IOException {
                String key = id + "|" + params;
                EncoderModel cached = loaded.get(key);
                if (cached != null) {
                    return cached;
                }
                EncoderModel model = ModelLoading.load(runtime.catalog(), id, params, "", cacheDirectory);
                loaded.put(key, model);
                return model;
            }
        };
    }

    private static Identified find(Peft4jRuntime runtime, ExtensionPoints point, String id) {
        return runtime.catalog().find(point, id).<Identified>map(d -> d.extension())
                .orElseThrow(() -> new ConfigurationException(point.word(), "unknown " + point.word() + " '" + id + "'; known: "
                        + String.join(", ", runtime.catalog().ids(point)) + " (is its plugin installed?)"));
    }

    private static HyperParameters validated(Identified extension, Map<String, Object> params, String owner) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (params != null) {
            params.forEach((k, v) -> {
                if (v != null) {
                    values.put(k, v);
                }
            });
        }
        return new ValidatedHyperParameters("", values, extension.hyperParameters(), owner);
    }
}
