package org.peft4j.runner.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.peft4j.api.config.ConfigurationException;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.graph.Attribute;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.ParameterValues;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.engine.adapters.AdapterInstaller;
import org.peft4j.engine.adapters.GraphAdapterContext;
import org.peft4j.engine.autodiff.GradientBuilder;
import org.peft4j.engine.ort.GraphRunner;
import org.peft4j.engine.shape.ShapeInference;
import org.peft4j.runner.config.ValidatedHyperParameters;

/**
 * The contract test suite that every {@link PeftMethod} passes: extend it, implement
 * {@link #method()}, and override the hooks your method needs.
 *
 * <p>Every check installs the method through the engine's own path
 * ({@link ValidatedHyperParameters} at key path {@value #PATH}, then
 * {@link AdapterInstaller#install}) into a {@link TinyEncoder} (a two-layer BERT in the Hugging
 * Face export pattern, hidden 16, FFN 32) and runs the graphs in ONNX Runtime. The checks:
 * <ul>
 *   <li>{@link #declaresItselfProperly}: the id is kebab-case, the description one non-blank line,
 *       every hyperparameter key is kebab-case and listed once, has a description and a default
 *       (unless {@link #optionalHyperParameters()} names it);</li>
 *   <li>{@link #itsDefaultsAreValid}: configuring with no value at all succeeds and adapts at least
 *       one layer of the tiny encoder;</li>
 *   <li>{@link #rewritesTheGraphCleanly}: targets are layers of the model; every registered tensor is
 *       an initializer of its declared shape, belongs to a target module (or is shared), and at least
 *       one trains; the base weights, inputs and outputs are untouched and the graph has no cycle;
 *       the same seed gives the same initial values;</li>
 *   <li>{@link #regeneratedConstantsAreReproducible}: the tensors of
 *       {@link Adapter#regeneratedConstants()} are frozen, registered, and identical under another
 *       run seed;</li>
 *   <li>{@link #startsAsAnExactNoOp}: with its initial values the adapted graph's output equals the
 *       base graph's, bit for bit (graph optimisations off, dropout in evaluation mode); methods
 *       whose initialisation changes the output opt out with {@link #startsAsNoOp()};</li>
 *   <li>{@link #gradientsMatchFiniteDifferences}: the engine's float32 gradients of the scalar
 *       loss {@code ReduceSum(output ⊙ C)} ({@code C} a fixed random tensor) with respect to every
 *       trainable tensor agree with central finite differences of the graph's float64 twin on a
 *       few elements of each tensor, always including the element of largest gradient; all-zero tensors (LoRA's {@code B}) are
 *       first set to random values so that every gradient is non-trivial, and each tensor must get
 *       a non-zero gradient somewhere;</li>
 *   <li>{@link #mergeMatchesTheUnmergedAdapter}: with every trainable tensor moved to non-trivial
 *       values, a copy of the base graph whose target weights are replaced by
 *       {@link Adapter#merge} gives the adapted graph's output to {@link #mergeTolerance()}, while
 *       the output differs visibly from the base model's; merge leaves its input array untouched;</li>
 *   <li>{@link #rejectsBadValuesNamingTheKey}: each of {@link #badValues()} fails configuration or
 *       installation with a {@link ConfigurationException} whose key is the full key path and whose
 *       message names that path (as {@link HyperParameters#invalid} and
 *       {@link org.peft4j.api.method.TargetSelector} do).</li>
 * </ul>
 *
 * <p>Contract of the hooks: they are called on the test instance, may be called several times per
 * test and must return the same thing each time. {@link #method()} never returns null.
 */
public abstract class PeftMethodContract {

    /** The key path under which the checks configure the method, as a config's first strategy. */
    public static final String PATH = "strategies[0].";

    private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private TinyEncoder.Model model;

    /** The method under test; never null. */
    protected abstract PeftMethod method();

    /**
     * The hyperparameters for the checks on the tiny encoder (keys as a config writes them, without
     * the path); empty by default, so every declared default applies. Override to keep tensors
     * small (ELoRA's default rank is 1024) or to exercise options such as dropout.
     */
    protected Map<String, Object> hyperParameters() {
        return Map.of();
    }

    /** Keys of hyperparameters that are deliberately optional and may have no default; none by default. */
    protected Set<String> optionalHyperParameters() {
        return Set.of();
    }

    /** Whether the adapter with its initial values leaves the model's output unchanged; true by default. */
    protected boolean startsAsNoOp() {
        return true;
    }

    /**
     * Values that must be rejected. By default, for whichever of these keys the method declares:
     * {@code r: 0}, {@code alpha: -1} and {@code targets: [no-such-layer]}. Methods add their own
     * (for example ELoRA's {@code d-initial: 0}) by overriding and extending this list.
     */
    protected List<BadValue> badValues() {
        Map<String, HyperParameter<?>> declared = declared();
        List<BadValue> bad = new ArrayList<>();
        if (declared.containsKey("r")) {
            bad.add(new BadValue("r", declared.get("r").type() == Double.class ? (Object) 0.0 : (Object) 0));
        }
        if (declared.containsKey("alpha")) {
            bad.add(new BadValue("alpha", declared.get("alpha").type() == Integer.class ? (Object) (-1) : (Object) (-1.0)));
        }
        if (declared.containsKey("targets")) {
            bad.add(new BadValue("targets", List.of("no-such-layer")));
        }
        return bad;
    }

    /** The model the checks adapt; {@link TinyEncoder#model(long)} with seed 7 by default. */
    protected TinyEncoder.Model model() {
        return TinyEncoder.model(7);
    }

    /** The run seed given to the adapter; 42 by default. */
    protected long seed() {
        return 42;
    }

    /** The largest absolute difference allowed between merged and unmerged outputs; 1e-5 by default. */
    protected double mergeTolerance() {
        return 1e-5;
    }

    /** The step of the central finite differences, taken on the float64 twin of the graph; 1e-4 by default. */
    protected double finiteDifferenceStep() {
        return 1e-4;
    }

    /**
     * The relative tolerance of the gradient check: an element passes when
     * {@code |fd - g| <= tol · (|g| + 0.1 · max|g| of its tensor)}, {@code g} the engine's float32
     * gradient and {@code fd} the float64 finite difference; 1e-3 by default.
     */
    protected double gradientTolerance() {
        return 1e-3;
    }

    /** How many random elements of each trainable tensor the gradient check perturbs (besides the largest); 3 by default. */
    protected int elementsPerTensor() {
        return 3;
    }

    /**
     * A value that configuring the method must reject.
     *
     * @param key the hyperparameter key, without the path
     * @param value the bad value
     */
    public record BadValue(String key, Object value) {

        public BadValue {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    // ------------------------------------------------------------------ checks

    @Test
    public void declaresItselfProperly() {
        PeftMethod method = Objects.requireNonNull(method(), "method()");
        assertNotNull(method.id(), "id");
        assertTrue(KEBAB.matcher(method.id()).matches(), "the id must be kebab-case: '" + method.id() + "'");
        String description = method.description();
        assertNotNull(description, "description of " + method.id());
        assertFalse(description.isBlank(), "the description of " + method.id() + " is blank");
        assertFalse(description.contains("\n"), "the description of " + method.id() + " must be one line");
        List<HyperParameter<?>> params = method.hyperParameters();
        assertNotNull(params, "hyperParameters() of " + method.id());
        Set<String> seen = new HashSet<>();
        for (HyperParameter<?> p : params) {
            assertTrue(seen.add(p.key()), method.id() + " lists '" + p.key() + "' twice");
            assertTrue(KEBAB.matcher(p.key()).matches(), "key '" + p.key() + "' of " + method.id() + " is not kebab-case");
            assertFalse(p.description().isBlank(), "'" + p.key() + "' of " + method.id() + " has no description");
            assertFalse(p.description().contains("\n"), "the description of '" + p.key() + "' must be one line");
            if (!optionalHyperParameters().contains(p.key())) {
                assertNotNull(p.defaultValue(), "'" + p.key() + "' of " + method.id()
                        + " has no default; give it one or name it in optionalHyperParameters()");
            }
        }
        for (String optional : optionalHyperParameters()) {
            assertTrue(seen.contains(optional), "optionalHyperParameters() names '" + optional + "', which " + method.id() + " does not declare");
        }
        for (String key : hyperParameters().keySet()) {
            assertTrue(seen.contains(key), "hyperParameters() sets '" + key + "', which " + method.id() + " does not declare");
        }
    }

    @Test
    public void itsDefaultsAreValid() {
        TinyEncoder.Model m = baseModel();
        Graph g = m.graph().copy();
        AdapterInstaller.Installed installed = AdapterInstaller.install(g, m.layers(), method(), params(Map.of()), seed());
        assertFalse(installed.targets().isEmpty(), method().id() + " with its defaults adapts no layer of a BERT-shaped encoder");
    }

    @Test
    public void rewritesTheGraphCleanly() {
        TinyEncoder.Model m = baseModel();
        Adapted a = adapt(hyperParameters(), seed());
        List<LinearLayer> targets = a.installed.targets();
        assertFalse(targets.isEmpty(), "no target selected");
        Set<String> targetModules = targets.stream().map(LinearLayer::module).collect(Collectors.toSet());
        List<AdapterParameter> params = a.installed.parameters();
        assertTrue(params.stream().anyMatch(AdapterParameter::trainable), method().id() + " registered no trainable tensor: " + params);
        for (AdapterParameter p : params) {
            Tensor t = a.graph.initializer(p.name());
            assertNotNull(t, "registered tensor '" + p.name() + "' is not an initializer of the graph");
            assertTrue(Arrays.equals(p.shape(), t.shape()), "'" + p.name() + "' is declared " + Arrays.toString(p.shape())
                    + " but stored " + Arrays.toString(t.shape()));
            assertTrue(p.elementCount() > 0, "'" + p.name() + "' is empty");
            assertFalse(p.role().isBlank(), "'" + p.name() + "' has no role");
            assertTrue(p.module().isEmpty() || targetModules.contains(p.module()), "'" + p.name() + "' belongs to module '" + p.module()
                    + "', which is not a target; targets are " + targetModules);
        }
        for (Map.Entry<String, Tensor> e : m.graph().initializers().entrySet()) {
            Tensor now = a.graph.initializer(e.getKey());
            assertNotNull(now, "the adapter removed initializer '" + e.getKey() + "' of the base model");
            assertEquals(e.getValue().data(), now.data(), "the adapter changed initializer '" + e.getKey() + "' of the base model");
        }
        assertEquals(names(m.graph().inputs()), names(a.graph.inputs()), "graph inputs changed");
        assertEquals(names(m.graph().outputs()), names(a.graph.outputs()), "graph outputs changed");
        try {
            a.graph.sortTopologically();
        } catch (IllegalStateException e) {
            fail("the graph adapted by " + method().id() + " cannot be ordered: " + e.getMessage()
                    + " (a node added before Graph.addToValue that reads the adapted value is redirected to the sum)", e);
        }

        Adapted again = adapt(hyperParameters(), seed());
        assertEquals(params, again.installed.parameters(), "the same hyperparameters register different tensors");
        for (AdapterParameter p : params) {
            assertEquals(a.graph.initializer(p.name()).data(), again.graph.initializer(p.name()).data(),
                    "the same seed gives different initial values of '" + p.name() + "'");
        }
    }

    @Test
    public void regeneratedConstantsAreReproducible() {
        Adapted a = adapt(hyperParameters(), seed());
        Set<String> regenerated = a.installed.adapter().regeneratedConstants();
        assertNotNull(regenerated, "regeneratedConstants()");
        Assumptions.assumeFalse(regenerated.isEmpty(), method().id() + " regenerates no constant");
        Adapted other = adapt(hyperParameters(), seed() + 1000);
        Map<String, AdapterParameter> byName = a.installed.parameters().stream()
                .collect(Collectors.toMap(AdapterParameter::name, p -> p));
        for (String name : regenerated) {
            AdapterParameter p = byName.get(name);
            assertNotNull(p, "regenerated constant '" + name + "' was never registered");
            assertFalse(p.trainable(), "regenerated constant '" + name + "' is trainable");
            assertEquals(a.graph.initializer(name).data(), other.graph.initializer(name).data(),
                    "regenerated constant '" + name + "' depends on the run seed");
        }
    }

    @Test
    public void startsAsAnExactNoOp() {
        Assumptions.assumeTrue(startsAsNoOp(), method().id() + " does not start as a no-op");
        TinyEncoder.Model m = baseModel();
        Adapted a = adapt(hyperParameters(), seed());
        float[] base = run(m.graph(), m.inputs(), m.output(), OrtSession.SessionOptions.OptLevel.NO_OPT);
        float[] adapted = run(a.graph, m.inputs(), m.output(), OrtSession.SessionOptions.OptLevel.NO_OPT);
        assertEquals(base.length, adapted.length);
        for (int i = 0; i < base.length; i++) {
            if (!(base[i] == adapted[i])) {
                fail(method().id() + " does not start as an exact no-op: output element " + i + " is " + adapted[i] + ", the base model gives "
                        + base[i]);
            }
        }
    }

    @Test
    public void gradientsMatchFiniteDifferences() {
        TinyEncoder.Model m = baseModel();
        Adapted a = adapt(hyperParameters(), seed());
        Graph g = a.graph;
        Random random = new Random(seed() + 1);
        List<AdapterParameter> trainable = a.installed.parameters().stream().filter(AdapterParameter::trainable).toList();
        assertFalse(trainable.isEmpty(), method().id() + " registered no trainable tensor");
        Map<String, Tensor> feed = new LinkedHashMap<>(m.inputs());
        Set<String> wrt = new LinkedHashSet<>();
        for (AdapterParameter p : trainable) {
            float[] v = g.removeInitializer(p.name()).floats();
            if (allZero(v)) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((2 * random.nextDouble() - 1) * 0.5);
                }
            }
            feed.put(p.name(), Tensor.ofFloats(p.name(), p.shape(), v));
            g.addInput(new ValueInfo(p.name(), DataType.FLOAT, p.shape()));
            wrt.add(p.name());
        }
        long[] outShape = outputShape(m);
        float[] c = new float[(int) elementCount(outShape)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (2 * random.nextDouble() - 1);
        }
        String weighted = g.mul(m.output(), g.constant(Tensor.ofFloats("loss_weights", outShape, c)));
        String loss = g.op("ReduceSum", List.of(weighted), new Attribute.Int("keepdims", 0));
        g.addOutput(new ValueInfo(loss, DataType.FLOAT, new long[0]));
        ShapeInference.specialize(g, Map.of());
        Graph twin = Float64Twin.convert(g);
        Map<String, String> gradients = new GradientBuilder(g).addGradients(loss, wrt);
        Map<String, Tensor> feed64 = new LinkedHashMap<>();
        feed.forEach((k, v) -> feed64.put(k, v.type() == DataType.FLOAT ? Float64Twin.toDouble(v) : v));

        double step = finiteDifferenceStep();
        double tol = gradientTolerance();
        List<String> failures = new ArrayList<>();
        double worst = 0;
        int compared = 0;
        try (GraphRunner runner = new GraphRunner(g, 1, OrtSession.SessionOptions.OptLevel.ALL_OPT);
                GraphRunner reference = new GraphRunner(twin, 1, OrtSession.SessionOptions.OptLevel.NO_OPT)) {
            Map<String, Tensor> out = runner.run(feed);
            double loss32 = out.get(loss).floats()[0];
            double loss64 = reference.run(feed64).get(loss).doubles()[0];
            assertTrue(Math.abs(loss32 - loss64) <= 1e-4 * Math.max(1, Math.abs(loss64)),
                    "the float64 twin of the graph computes another loss: " + loss64 + " vs " + loss32);
            for (AdapterParameter p : trainable) {
                float[] grad = out.get(gradients.get(p.name())).floats();
                double[] value = feed64.get(p.name()).doubles();
                assertEquals(value.length, grad.length, "gradient of '" + p.name() + "' has the wrong size");
                int largest = 0;
                for (int i = 1; i < grad.length; i++) {
                    if (Math.abs(grad[i]) > Math.abs(grad[largest])) {
                        largest = i;
                    }
                }
                double maxGrad = Math.abs(grad[largest]);
                assertTrue(maxGrad > 0 && Double.isFinite(maxGrad), "'" + p.name() + "' gets a gradient of " + maxGrad
                        + " everywhere: it does not influence the output");
                Set<Integer> indices = new LinkedHashSet<>();
                indices.add(largest);
                for (int k = 0; k < elementsPerTensor() && indices.size() < value.length; k++) {
                    int j;
                    do {
                        j = random.nextInt(value.length);
                    } while (!indices.add(j));
                }
                for (int j : indices) {
                    double[] plus = value.clone();
                    double[] minus = value.clone();
                    plus[j] += step;
                    minus[j] -= step;
                    double fd = (lossAt(reference, feed64, p, plus, loss) - lossAt(reference, feed64, p, minus, loss)) / (2 * step);
                    double error = Math.abs(fd - grad[j]);
                    worst = Math.max(worst, error / (Math.abs(grad[j]) + 0.1 * maxGrad));
                    compared++;
                    if (!(error <= tol * (Math.abs(grad[j]) + 0.1 * maxGrad))) {
                        failures.add(p.name() + "[" + j + "]: gradient " + grad[j] + ", finite difference " + fd);
                    }
                }
            }
        }
        System.out.printf("contract %s: %d gradient elements of %d tensors checked, worst relative error %.2e (tolerance %.1e)%n",
                method().id(), compared, trainable.size(), worst, tol);
        assertTrue(failures.isEmpty(), method().id() + ": gradients disagree with finite differences:\n" + String.join("\n", failures));
    }

    @Test
    public void mergeMatchesTheUnmergedAdapter() {
        TinyEncoder.Model m = baseModel();
        Adapted a = adapt(hyperParameters(), seed());
        Random random = new Random(seed() + 2);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (AdapterParameter p : a.installed.parameters()) {
            float[] v = a.graph.initializer(p.name()).floats();
            if (p.trainable()) {
                double rms = 0;
                for (float x : v) {
                    rms += (double) x * x;
                }
                double spread = Math.max(0.1, Math.sqrt(rms / v.length));
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) ((2 * random.nextDouble() - 1) * spread);
                }
                a.graph.putInitializer(Tensor.ofFloats(p.name(), p.shape(), v));
            }
            values.put(p.name(), v);
        }
        ParameterValues parameterValues = new MapValues(values);
        Graph merged = m.graph().copy();
        for (LinearLayer layer : a.installed.targets()) {
            float[] base = m.graph().initializer(layer.weight()).floats();
            float[] given = base.clone();
            float[] w = a.installed.adapter().merge(layer, given, parameterValues);
            assertNotNull(w, "merge of " + layer.module());
            assertTrue(Arrays.equals(base, given), "merge of " + layer.module() + " modified the base weight it was given");
            assertEquals(layer.weightCount(), w.length, "merge of " + layer.module() + " returned the wrong number of values");
            merged.putInitializer(Tensor.ofFloats(layer.weight(), new long[] {layer.in(), layer.out()}, w));
        }
        OrtSession.SessionOptions.OptLevel level = OrtSession.SessionOptions.OptLevel.ALL_OPT;
        float[] baseOut = run(m.graph(), m.inputs(), m.output(), level);
        float[] adaptedOut = run(a.graph, m.inputs(), m.output(), level);
        float[] mergedOut = run(merged, m.inputs(), m.output(), level);
        double mergeError = maxAbsDifference(adaptedOut, mergedOut);
        assertTrue(mergeError <= mergeTolerance(), method().id() + ": the merged model differs from the adapted one by " + mergeError
                + " (tolerance " + mergeTolerance() + ")");
        double change = maxAbsDifference(adaptedOut, baseOut);
        System.out.printf("contract %s: merged vs unmerged max |difference| %.2e (tolerance %.1e), adapter changes the output by %.2e%n",
                method().id(), mergeError, mergeTolerance(), change);
        assertTrue(change > 100 * mergeTolerance(), method().id() + ": with non-trivial parameter values the adapter changes the output by only "
                + change + ", so the merge check proves nothing");
    }

    @TestFactory
    public Stream<DynamicTest> rejectsBadValuesNamingTheKey() {
        List<BadValue> bad = badValues();
        assertFalse(bad.isEmpty() && !method().hyperParameters().isEmpty(),
                method().id() + " declares hyperparameters but badValues() gives no value to reject; override it");
        return bad.stream().map(b -> DynamicTest.dynamicTest(b.key() + ": " + b.value(), () -> {
            Map<String, Object> values = new LinkedHashMap<>(hyperParameters());
            values.put(b.key(), b.value());
            TinyEncoder.Model m = baseModel();
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> AdapterInstaller.install(m.graph().copy(), m.layers(), method(), params(values), seed()),
                    method().id() + " accepted " + b.key() + " = " + b.value());
            assertEquals(PATH + b.key(), e.key(), "the exception for " + b.key() + " = " + b.value() + " names the wrong key: " + e.getMessage());
            assertTrue(e.getMessage().contains(PATH + b.key()), "the message does not name the key path " + PATH + b.key() + ": "
                    + e.getMessage());
        }));
    }

    // ------------------------------------------------------------------ helpers

    /** The method's hyperparameters validated as the runner validates a config's strategy. */
    protected final HyperParameters params(Map<String, Object> values) {
        PeftMethod method = method();
        return new ValidatedHyperParameters(PATH, values, method.hyperParameters(), "method '" + method.id() + "'");
    }

    private TinyEncoder.Model baseModel() {
        if (model == null) {
            model = Objects.requireNonNull(model(), "model()");
        }
        return model;
    }

    private Map<String, HyperParameter<?>> declared() {
        Map<String, HyperParameter<?>> m = new LinkedHashMap<>();
        for (HyperParameter<?> p : method().hyperParameters()) {
            m.put(p.key(), p);
        }
        return m;
    }

    private Adapted adapt(Map<String, Object> values, long seed) {
        TinyEncoder.Model m = baseModel();
        Graph g = m.graph().copy();
        AdapterInstaller.Installed installed = AdapterInstaller.install(g, m.layers(), method(), params(values), seed);
        if (g.initializer(GraphAdapterContext.TRAINING_MODE) != null) {
            g.putInitializer(Tensor.ofBooleans(GraphAdapterContext.TRAINING_MODE, new long[0], new boolean[] {false}));
        }
        return new Adapted(g, installed);
    }

    private record Adapted(Graph graph, AdapterInstaller.Installed installed) {
    }

    private static float[] run(Graph graph, Map<String, Tensor> inputs, String output, OrtSession.SessionOptions.OptLevel level) {
        Graph g = graph.copy();
        g.sortTopologically();
        try (GraphRunner runner = new GraphRunner(g, 1, level)) {
            return runner.run(inputs).get(output).floats();
        }
    }

    private static double lossAt(GraphRunner reference, Map<String, Tensor> feed, AdapterParameter p, double[] value, String loss) {
        Map<String, Tensor> changed = new LinkedHashMap<>(feed);
        changed.put(p.name(), Tensor.ofDoubles(p.name(), p.shape(), value));
        return reference.run(changed).get(loss).doubles()[0];
    }

    private static long[] outputShape(TinyEncoder.Model m) {
        return m.graph().outputs().stream().filter(v -> v.name().equals(m.output())).findFirst().orElseThrow().shape();
    }

    private static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static boolean allZero(float[] v) {
        for (float x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length, "output sizes differ");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            if (d > max) {
                max = d;
            }
        }
        return max;
    }

    private static List<String> names(List<ValueInfo> infos) {
        return infos.stream().map(ValueInfo::name).toList();
    }

    /** Parameter values from a map, as {@link ParameterValues} specifies. */
    private record MapValues(Map<String, float[]> values) implements ParameterValues {

        @Override
        public float[] get(String name) {
            float[] v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no adapter parameter '" + name + "'; known: " + values.keySet());
            }
            return v.clone();
        }

        @Override
        public Set<String> names() {
            return values.keySet();
        }
    }
}
