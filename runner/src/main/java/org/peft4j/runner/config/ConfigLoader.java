package org.peft4j.runner.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.interpol.ConfigurationInterpolator;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameter;
import java.util.function.Supplier;
import org.peft4j.api.freeze.FreezeScheduler;
import org.peft4j.api.freeze.ParameterScorer;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.runner.inject.ExtensionCatalog;
import org.peft4j.runner.plugins.Discovered;
import org.peft4j.runner.plugins.ExtensionPoints;

/**
 * Reads a comparison config into a {@link ComparisonPlan}.
 *
 * <p>Contract: the YAML is read with Commons Configuration; {@code ${...}} expressions are
 * interpolated (for example {@code ${env:GLUE_DIR:-data/glue}}, {@code ${sys:user.home}}); each
 * {@code -D} override {@code key.path=value} (list items as {@code strategies[1].r}) is applied
 * before validation; the {@code defaults} section is merged under each strategy (the strategy's own
 * values win, maps merge key by key). Every unknown key, wrong type, bad value or unknown extension id
 * is a {@link ConfigFileException} naming the file and key path, and for ids the available ones.
 */
public final class ConfigLoader {

    private static final Set<String> TOP_LEVEL = new LinkedHashSet<>(List.of("name", "description", "output-dir", "data-dir", "model",
            "datasets", "seeds", "training", "head", "report", "defaults", "strategies"));
    private static final Set<String> STRATEGY_RESERVED = Set.of("name", "method", "scorer", "scorer-params", "scheduler",
            "scheduler-params", "training");

    private final ExtensionCatalog catalog;

    /** @param catalog the extensions ids are resolved against */
    public ConfigLoader(ExtensionCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * Loads, merges and validates a config.
     *
     * @param file the YAML file
     * @param overrides {@code key.path -> value} overrides, applied in order
     */
    public ComparisonPlan load(Path file, Map<String, String> overrides) {
        Map<String, Object> tree = readTree(file, overrides);
        try {
            return plan(file, tree);
        } catch (org.peft4j.api.config.ConfigurationException e) {
            throw new ConfigFileException(file, e.key(), e.getMessage(), e);
        }
    }

    /** Reads the YAML with interpolation and overrides into plain maps, lists and scalars. */
    static Map<String, Object> readTree(Path file, Map<String, String> overrides) {
        YAMLConfiguration yaml = new YAMLConfiguration();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            yaml.read(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(file, "", "no such file", e);
        } catch (IOException e) {
            throw new ConfigFileException(file, "", "cannot be read: " + e.getMessage(), e);
        } catch (ConfigurationException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage().replaceAll("\\s+", " ").trim();
            throw new ConfigFileException(file, "", "is not valid YAML: " + detail, e);
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            String key = o.getKey().replaceAll("\\[(\\d+)]", "($1)");
            if (!key.matches("[A-Za-z0-9_.()-]+")) {
                throw new ConfigFileException(file, o.getKey(), "override -D" + o.getKey() + ": not a key path such as training.epochs or strategies[0].r", null);
            }
            try {
                yaml.setProperty(key, o.getValue());
            } catch (RuntimeException e) {
                throw new ConfigFileException(file, o.getKey(), "override -D" + o.getKey() + " cannot be applied: " + e.getMessage(), e);
            }
        }
        ConfigurationInterpolator interpolator = yaml.getInterpolator();
        Object root = toPlain(yaml.getNodeModel().getNodeHandler().getRootNode(), interpolator, file, "");
        if (!(root instanceof Map)) {
            throw new ConfigFileException(file, "", "expected a YAML mapping at the top level", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) root;
        return map;
    }

    private static Object toPlain(ImmutableNode node, ConfigurationInterpolator interpolator, Path file, String path) {
        if (node.getChildren().isEmpty()) {
            Object value = node.getValue();
            if (value instanceof String s && s.contains("${")) {
                Object interpolated;
                try {
                    interpolated = interpolator.interpolate(s);
                } catch (RuntimeException e) {
                    throw new ConfigFileException(file, path, path + ": cannot interpolate '" + s + "': " + e.getMessage(), e);
                }
                if (interpolated instanceof String r && r.contains("${")) {
                    throw new ConfigFileException(file, path, path + ": '" + s + "' refers to an undefined variable; use ${env:NAME:-default} for optional ones", null);
                }
                return interpolated;
            }
            return value;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ImmutableNode child : node.getChildren()) {
            counts.merge(child.getNodeName(), 1, Integer::sum);
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (ImmutableNode child : node.getChildren()) {
            String name = child.getNodeName();
            int index = seen.merge(name, 1, Integer::sum) - 1;
            String childPath = (path.isEmpty() ? "" : path + ".") + name + (counts.get(name) > 1 ? "[" + index + "]" : "");
            Object value = toPlain(child, interpolator, file, childPath);
            if (counts.get(name) > 1) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) map.computeIfAbsent(name, k -> new ArrayList<>());
                list.add(value);
            } else {
                map.put(name, value);
            }
        }
        return map;
    }

    private ComparisonPlan plan(Path file, Map<String, Object> tree) {
        for (String key : tree.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                throw new org.peft4j.api.config.ConfigurationException(key, key + ": unknown top-level key; accepted: " + String.join(", ", TOP_LEVEL)
                        + ValidatedHyperParameters.suggestion(key, TOP_LEVEL));
            }
        }
        String name = string(tree, "name", null);
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new org.peft4j.api.config.ConfigurationException("name", "name: required, letters, digits, '.', '_' or '-' (it names the run directory)"
                    + (name == null ? "" : ", found '" + name + "'"));
        }
        Path base = file.toAbsolutePath().getParent();
        // the default lands where the user runs peft4j; an explicit relative directory is read like
        // every other path in the file, against the file's own directory
        String outputDir = string(tree, "output-dir", null);
        Path output = outputDir == null ? Path.of("runs").toAbsolutePath() : base.resolve(outputDir).normalize();
        String dataDir = string(tree, "data-dir", null);

        ComparisonPlan.Choice model = choice(section(tree, "model", true), "model", ExtensionPoints.MODEL);
        List<ComparisonPlan.DatasetChoice> datasets = new ArrayList<>();
        List<Map<String, Object>> datasetTraining = new ArrayList<>();
        List<Object> datasetEntries = list(tree, "datasets", true);
        for (int i = 0; i < datasetEntries.size(); i++) {
            Object entry = datasetEntries.get(i);
            Map<String, Object> m = new LinkedHashMap<>(entry instanceof Map ? asMap(entry) : Map.of("id", entry));
            String path = "datasets[" + i + "]";
            datasetTraining.add(m.get("training") == null ? Map.of() : asSection(m, "training", path));
            m.remove("training");
            ComparisonPlan.Choice c = choice(m, path, ExtensionPoints.DATASET);
            Object task = m.get("task");
            datasets.add(new ComparisonPlan.DatasetChoice(task == null ? c.id() : c.id() + "-" + task, c.id(), c.params()));
        }
        List<String> labels = datasets.stream().map(ComparisonPlan.DatasetChoice::label).toList();
        for (int i = 0; i < datasets.size(); i++) {
            ComparisonPlan.DatasetChoice d = datasets.get(i);
            if (java.util.Collections.frequency(labels, d.label()) > 1) {
                datasets.set(i, new ComparisonPlan.DatasetChoice(d.label() + "-" + (i + 1), d.id(), d.params()));
            }
        }
        List<Long> seeds = new ArrayList<>();
        List<Object> seedEntries = tree.containsKey("seeds") ? list(tree, "seeds", false) : List.of(42L);
        for (int i = 0; i < seedEntries.size(); i++) {
            Object s = seedEntries.get(i);
            try {
                seeds.add(s instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(s).trim()));
            } catch (NumberFormatException e) {
                throw new org.peft4j.api.config.ConfigurationException("seeds[" + i + "]", "seeds[" + i + "]: expected an integer, found '" + s + "'");
            }
        }
        if (new LinkedHashSet<>(seeds).size() != seeds.size()) {
            throw new org.peft4j.api.config.ConfigurationException("seeds", "seeds: each seed must appear once, found " + seeds);
        }
        Map<String, Object> trainingSection = section(tree, "training", false);
        HeadSettings head = HeadSettings.from(new ValidatedHyperParameters("head.", section(tree, "head", false), HeadSettings.DECLARATIONS,
                "the head section"));
        Map<String, Object> report = section(tree, "report", false);
        new ValidatedHyperParameters("report.", report, List.of(HyperParameter.ofString("reference", null,
                "strategy that runtime and FLOPs are reported relative to"), HyperParameter.ofString("markdown", null,
                "also write the Markdown report (and its charts) to this file, relative to the config file")), "the report section");
        String markdown = report.get("markdown") == null ? null : String.valueOf(report.get("markdown"));
        String reference = report.get("reference") == null ? null : String.valueOf(report.get("reference"));

        Map<String, Object> defaults = section(tree, "defaults", false);
        List<ComparisonPlan.Strategy> strategies = new ArrayList<>();
        List<Object> entries = list(tree, "strategies", true);
        Set<String> names = new LinkedHashSet<>();
        Map<String, TrainingSettings> runTraining = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "strategies[" + i + "]";
            if (!(entries.get(i) instanceof Map)) {
                throw new org.peft4j.api.config.ConfigurationException(path, path + ": expected a mapping with at least 'method'");
            }
            Map<String, Object> merged = mergeUnder(defaults, asMap(entries.get(i)));
            ComparisonPlan.Strategy s = strategy(merged, path, trainingSection);
            if (!names.add(s.name())) {
                throw new org.peft4j.api.config.ConfigurationException(path + ".name", path + ".name: '" + s.name() + "' is used by another strategy; names must be unique");
            }
            strategies.add(s);
            Map<String, Object> own = merged.get("training") == null ? Map.of() : asSection(merged, "training", path);
            for (int d = 0; d < datasets.size(); d++) {
                Map<String, Object> values = mergeUnder(mergeUnder(trainingSection, datasetTraining.get(d)), own);
                String where = datasetTraining.get(d).isEmpty() ? path + ".training." : "datasets[" + d + "].training/" + path + ".training.";
                runTraining.put(ComparisonPlan.trainingKey(s, datasets.get(d)), TrainingSettings.from(new ValidatedHyperParameters(where, values,
                        TrainingSettings.DECLARATIONS, "the training section")));
            }
        }
        if (reference != null && !names.contains(reference)) {
            throw new org.peft4j.api.config.ConfigurationException("report.reference", "report.reference: no strategy is named '" + reference + "'; strategies: "
                    + String.join(", ", names));
        }
        Map<String, Object> resolved = new LinkedHashMap<>(tree);
        resolved.remove("defaults");
        List<Object> resolvedStrategies = new ArrayList<>();
        for (Object e : entries) {
            resolvedStrategies.add(mergeUnder(defaults, asMap(e)));
        }
        resolved.put("strategies", resolvedStrategies);
        return new ComparisonPlan(file, name, output, dataDir == null ? null : base.resolve(dataDir), model, datasets, seeds, head, reference,
                strategies, resolved, runTraining, markdown == null ? null : base.resolve(markdown).normalize());
    }

    private ComparisonPlan.Strategy strategy(Map<String, Object> m, String path, Map<String, Object> trainingSection) {
        String methodId = string(m, "method", null);
        if (methodId == null) {
            throw new org.peft4j.api.config.ConfigurationException(path + ".method", path + ".method: required; available methods: "
                    + String.join(", ", catalog.ids(ExtensionPoints.METHOD)));
        }
        String name = string(m, "name", methodId);
        Discovered<? extends Identified> method = resolve(ExtensionPoints.METHOD, methodId, path + ".method");
        Map<String, Object> methodValues = new LinkedHashMap<>(m);
        STRATEGY_RESERVED.forEach(methodValues::remove);
        ComparisonPlan.Choice methodChoice = new ComparisonPlan.Choice(methodId, new ValidatedHyperParameters(path + ".", methodValues,
                method.extension().hyperParameters(), "method '" + methodId + "'"));
        PeftMethod peft = (PeftMethod) method.extension();
        ComparisonPlan.Choice scorer = optionalChoice(m, path, "scorer", peft.defaultScorer(), ExtensionPoints.SCORER);
        ComparisonPlan.Choice scheduler = optionalChoice(m, path, "scheduler", peft.defaultScheduler(), ExtensionPoints.SCHEDULER);
        if (scorer != null && scheduler == null) {
            throw new org.peft4j.api.config.ConfigurationException(path + ".scheduler", path + ".scheduler: a scorer is configured but no scheduler uses its scores; available schedulers: "
                    + String.join(", ", catalog.ids(ExtensionPoints.SCHEDULER)));
        }
        checkAccepted(path + ".method", "method '" + methodId + "'", () -> peft.configure(methodChoice.params()));
        if (scorer != null) {
            ParameterScorer ps = (ParameterScorer) resolve(ExtensionPoints.SCORER, scorer.id(), path + ".scorer").extension();
            checkAccepted(path + ".scorer", "scorer '" + scorer.id() + "'", () -> ps.create(scorer.params()));
        }
        if (scheduler != null) {
            FreezeScheduler fs = (FreezeScheduler) resolve(ExtensionPoints.SCHEDULER, scheduler.id(), path + ".scheduler").extension();
            checkAccepted(path + ".scheduler", "scheduler '" + scheduler.id() + "'", () -> fs.create(scheduler.params()));
        }
        Map<String, Object> training = mergeUnder(trainingSection, m.get("training") == null ? Map.of() : asSection(m, "training", path));
        TrainingSettings settings = TrainingSettings.from(new ValidatedHyperParameters(path + ".training.", training,
                TrainingSettings.DECLARATIONS, "the training section"));
        return new ComparisonPlan.Strategy(name, methodChoice, scorer, scheduler, settings);
    }

    /**
     * Lets an extension check its hyperparameters now, so that a bad value fails validation rather
     * than a run: its own {@link org.peft4j.api.config.ConfigurationException} passes through (it
     * names the key); anything else it throws is reported against {@code key}.
     */
    private static void checkAccepted(String key, String what, Supplier<Object> creation) {
        Object created;
        try {
            created = creation.get();
        } catch (org.peft4j.api.config.ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new org.peft4j.api.config.ConfigurationException(key, key + ": " + what + " rejected its hyperparameters: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (created == null) {
            throw new org.peft4j.api.config.ConfigurationException(key, key + ": " + what + " returned nothing for its hyperparameters");
        }
    }

    private ComparisonPlan.Choice optionalChoice(Map<String, Object> m, String path, String key, String defaultId, ExtensionPoints point) {
        String id = string(m, key, defaultId);
        Map<String, Object> params = m.get(key + "-params") == null ? Map.of() : asSection(m, key + "-params", path);
        if (id == null) {
            if (!params.isEmpty()) {
                throw new org.peft4j.api.config.ConfigurationException(path + "." + key + "-params", path + "." + key + "-params: given without a " + key);
            }
            return null;
        }
        Discovered<? extends Identified> d = resolve(point, id, path + "." + key);
        return new ComparisonPlan.Choice(id, new ValidatedHyperParameters(path + "." + key + "-params.", params, d.extension().hyperParameters(),
                point.word() + " '" + id + "'"));
    }

    private ComparisonPlan.Choice choice(Map<String, Object> m, String path, ExtensionPoints point) {
        String id = string(m, "id", null);
        if (id == null) {
            throw new org.peft4j.api.config.ConfigurationException(path + ".id", path + ".id: required; available: " + String.join(", ", catalog.ids(point)));
        }
        Discovered<? extends Identified> d = resolve(point, id, path + ".id");
        Map<String, Object> params = new LinkedHashMap<>(m);
        params.remove("id");
        return new ComparisonPlan.Choice(id, new ValidatedHyperParameters(path + ".", params, d.extension().hyperParameters(),
                point.word() + " '" + id + "'"));
    }

    private Discovered<? extends Identified> resolve(ExtensionPoints point, String id, String key) {
        return catalog.find(point, id).orElseThrow(() -> new org.peft4j.api.config.ConfigurationException(key, key + ": unknown " + point.word() + " '" + id
                + "'; available: " + (catalog.ids(point).isEmpty() ? "none (is its plugin installed?)" : String.join(", ", catalog.ids(point)))
                + ValidatedHyperParameters.suggestion(id, new LinkedHashSet<>(catalog.ids(point)))));
    }

    /** {@code over} merged over {@code under}: maps merge key by key, other values are replaced. */
    static Map<String, Object> mergeUnder(Map<String, Object> under, Map<String, Object> over) {
        Map<String, Object> result = new LinkedHashMap<>(under);
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object existing = result.get(e.getKey());
            if (existing instanceof Map && e.getValue() instanceof Map) {
                result.put(e.getKey(), mergeUnder(asMap(existing), asMap(e.getValue())));
            } else {
                result.put(e.getKey(), e.getValue());
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> asSection(Map<String, Object> m, String key, String path) {
        Object v = m.get(key);
        if (!(v instanceof Map)) {
            String full = (path.isEmpty() ? "" : path + ".") + key;
            throw new org.peft4j.api.config.ConfigurationException(full, full + ": expected a mapping of key: value entries, found '" + v + "'");
        }
        return asMap(v);
    }

    private static Map<String, Object> section(Map<String, Object> tree, String key, boolean required) {
        if (!tree.containsKey(key) || tree.get(key) == null) {
            if (required) {
                throw new org.peft4j.api.config.ConfigurationException(key, key + ": required section is missing");
            }
            return Map.of();
        }
        if (!(tree.get(key) instanceof Map) && "model".equals(key)) {
            return new LinkedHashMap<>(Map.of("id", tree.get(key)));
        }
        return asSection(tree, key, "");
    }

    private static List<Object> list(Map<String, Object> tree, String key, boolean required) {
        Object v = tree.get(key);
        if (v == null) {
            if (required) {
                throw new org.peft4j.api.config.ConfigurationException(key, key + ": required list is missing or empty");
            }
            return List.of();
        }
        return v instanceof List<?> l ? new ArrayList<>(l) : List.of(v);
    }

    private static String string(Map<String, Object> m, String key, String defaultValue) {
        Object v = m.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Map || v instanceof List) {
            throw new org.peft4j.api.config.ConfigurationException(key, key + ": expected a single value, found a " + (v instanceof Map ? "mapping" : "list"));
        }
        return String.valueOf(v);
    }
}
