package org.peft4j.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.api.model.GraphReader;
import org.peft4j.api.model.ModelContext;
import org.peft4j.api.model.ModelProvider;
import org.peft4j.engine.onnx.OnnxModelIO;
import org.peft4j.runner.config.ValidatedHyperParameters;
import org.peft4j.runner.inject.ExtensionCatalog;
import org.peft4j.runner.plugins.ExtensionPoints;

/**
 * How every command loads a model: where extracted model files are cached, the engine services a
 * {@link ModelProvider} gets, and lookup by id with validated hyperparameters.
 *
 * <p>The cache root is the {@code PEFT4J_CACHE} environment variable, else the {@code peft4j.cache}
 * system property, else {@code ~/.cache/peft4j}; models go to its {@code models} directory.
 */
public final class ModelLoading {

    private ModelLoading() {
    }

    /** The cache root. */
    public static Path cacheRoot() {
        String env = System.getenv("PEFT4J_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String property = System.getProperty("peft4j.cache");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "peft4j");
    }

    /** The directory extracted model files go to. */
    public static Path modelCache() {
        return cacheRoot().resolve("models");
    }

    /** The engine services for providers that cache into {@code directory} (created if missing). */
    public static ModelContext context(Path directory) throws IOException {
        Path cache = Files.createDirectories(directory);
        GraphReader reader = new OnnxModelIO();
        return new ModelContext() {
            @Override
            public Path cacheDirectory() {
                return cache;
            }

            @Override
            public GraphReader graphReader() {
                return reader;
            }
        };
    }

    /**
     * Loads model {@code id} with {@code params}, checked against the provider's declarations.
     *
     * @param catalog the extensions
     * @param id the model provider id
     * @param params its hyperparameters (null values are ignored)
     * @param keyPath the key path of the parameters in messages, such as {@code model.}
     * @param cache where the provider extracts its files
     * @throws ConfigurationException for an unknown id or a bad parameter
     */
    public static EncoderModel load(ExtensionCatalog catalog, String id, Map<String, ?> params, String keyPath, Path cache) throws IOException {
        Objects.requireNonNull(catalog, "catalog");
        ModelProvider provider = (ModelProvider) catalog.find(ExtensionPoints.MODEL, id)
                .orElseThrow(() -> new ConfigurationException(keyPath + "id", keyPath + "id: unknown model '" + id + "'; available: "
                        + String.join(", ", catalog.ids(ExtensionPoints.MODEL))))
                .extension();
        Map<String, Object> values = new LinkedHashMap<>();
        if (params != null) {
            params.forEach((k, v) -> {
                if (v != null) {
                    values.put(k, v);
                }
            });
        }
        ValidatedHyperParameters hp = new ValidatedHyperParameters(keyPath, values, provider.hyperParameters(), "model '" + id + "'");
        return provider.load(hp, context(cache));
    }
}
