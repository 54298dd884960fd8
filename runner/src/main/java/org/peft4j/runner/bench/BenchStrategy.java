package org.peft4j.runner.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One strategy the benchmark measures.
 *
 * <p>Contract: {@code name} and {@code method} are non-blank; {@code params} are the method's
 * hyperparameters as a config would give them (validated against the method when the benchmark
 * runs). With {@code allFrozen}, the artifacts are compiled with every freezable adapter tensor
 * already frozen (baked in as a constant), which is the cost of an AFLoRA run after its freeze
 * schedule has finished.
 *
 * @param name the name printed in the table and the JSON
 * @param method the PEFT method id
 * @param params the method's hyperparameters
 * @param allFrozen whether every freezable tensor starts frozen
 */
public record BenchStrategy(String name, String method, Map<String, Object> params, boolean allFrozen) {

    /** Method id of the no-adapter baseline, the denominator of {@code vs head-only}. */
    public static final String HEAD_ONLY = "head-only";
    /** Method id of ELoRA, the denominator of {@code vs ELoRA}. */
    public static final String ELORA = "elora";

    public BenchStrategy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        if (name.isBlank() || method.isBlank()) {
            throw new IllegalArgumentException("a bench strategy needs a name and a method, got '" + name + "' / '" + method + "'");
        }
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * The default set: the head-only baseline, LoRA r=8, ELoRA r=1024, AFLoRA r=4 with its
     * projections trainable, and AFLoRA r=4 after every projection froze.
     */
    public static List<BenchStrategy> defaults() {
        return List.of(
                new BenchStrategy("head-only", HEAD_ONLY, Map.of(), false),
                new BenchStrategy("lora-r8", "lora", Map.of("r", 8), false),
                new BenchStrategy("elora-r1024", ELORA, Map.of("r", 1024), false),
                new BenchStrategy("aflora-r4", "aflora", Map.of("r", 4), false),
                new BenchStrategy("aflora-r4-frozen", "aflora", Map.of("r", 4), true));
    }
}
