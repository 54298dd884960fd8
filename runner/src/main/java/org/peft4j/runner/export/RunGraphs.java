package org.peft4j.runner.export;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.graph.DataType;
import org.peft4j.api.graph.Graph;
import org.peft4j.api.graph.LinearLayer;
import org.peft4j.api.graph.Node;
import org.peft4j.api.graph.Tensor;
import org.peft4j.api.graph.ValueInfo;
import org.peft4j.api.method.AdapterParameter;
import org.peft4j.api.method.ParameterValues;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.engine.adapters.AdapterInstaller;
import org.peft4j.runner.compare.TrainedRun;
import org.peft4j.zoo.heads.DropoutFactory;
import org.peft4j.zoo.heads.Head;
import org.peft4j.zoo.heads.HeadSpec;
import org.peft4j.zoo.heads.Pooling;

/**
 * Rebuilds the graphs of a saved run: the adapted graph exactly as the run trained it (same model,
 * method, hyperparameters, seed and head), and the merged inference graph with every adapter folded
 * into its base weight.
 *
 * <p>Contract: {@link #rebuild} fails with an {@link IOException} when the method or model of this
 * installation rebuilds different adapter tensors (names or shapes) than the run saved, which is
 * what a plugin version with another layout would do; it never silently mixes layouts.
 */
public final class RunGraphs {

    /** The name of the merged model's output. */
    public static final String LOGITS = "logits";

    private RunGraphs() {
    }

    /**
     * A run's graph rebuilt with its adapters and head, holding their initial values.
     *
     * @param description what was rebuilt
     * @param model the encoder
     * @param graph the adapted graph with the head (training-mode dropout, as trained)
     * @param installed the installed adapter
     * @param head the head
     * @param numOutputs classes, or 1 for regression
     */
    public record Rebuilt(TrainedRun.Description description, EncoderModel model, Graph graph, AdapterInstaller.Installed installed, Head head,
            int numOutputs) {
    }

    /** The task of a description. */
    static Dataset.TaskType task(TrainedRun.Description d) {
        return "regression".equalsIgnoreCase(d.task()) ? Dataset.TaskType.REGRESSION : Dataset.TaskType.CLASSIFICATION;
    }

    /** Rebuilds the run's adapted graph, as the comparison runner built it. */
    public static Rebuilt rebuild(TrainedRun.Description d, ExtensionLookup lookup) throws IOException {
        Objects.requireNonNull(d, "description");
        EncoderModel model = lookup.model(d.provenance().model(), d.provenance().modelParams());
        ExtensionLookup.Configured<PeftMethod> method = lookup.method(d.provenance().method(), d.provenance().methodParams());
        Graph graph = model.graph();
        List<LinearLayer> layers = model.linearLayers(graph);
        AdapterInstaller.Installed installed = AdapterInstaller.install(graph, layers, method.extension(), method.params(), d.seed());
        Dataset.TaskType task = task(d);
        int numOutputs = task == Dataset.TaskType.CLASSIFICATION ? d.labels().size() : 1;
        HeadSpec spec = new HeadSpec(task, Pooling.byId(d.pooling()), d.headDropout(), d.seed());
        Head head = spec.build(graph, model.outputName(), "attention_mask", model.hiddenSize(), numOutputs, DropoutFactory.onnxTraining(d.seed()));
        checkSameLayout(d, installed, head);
        return new Rebuilt(d, model, graph, installed, head, numOutputs);
    }

    private static void checkSameLayout(TrainedRun.Description d, AdapterInstaller.Installed installed, Head head) throws IOException {
        Map<String, AdapterParameter> saved = new HashMap<>();
        d.adapterParameters().forEach(p -> saved.put(p.name(), p));
        for (AdapterParameter p : installed.parameters()) {
            AdapterParameter s = saved.remove(p.name());
            if (s == null) {
                throw new IOException("run " + d.runId() + ": method '" + d.provenance().method() + "' now creates tensor '" + p.name()
                        + "', which the run did not save; was it trained with another version of the method's plugin?");
            }
            if (!Arrays.equals(s.shape(), p.shape())) {
                throw new IOException("run " + d.runId() + ": tensor '" + p.name() + "' was saved with shape " + Arrays.toString(s.shape())
                        + " but the method now creates " + Arrays.toString(p.shape()));
            }
        }
        if (!saved.isEmpty()) {
            throw new IOException("run " + d.runId() + ": method '" + d.provenance().method() + "' no longer creates the saved tensors "
                    + saved.keySet().stream().sorted().toList());
        }
        if (!head.parameterNames().equals(d.headParameters())) {
            throw new IOException("run " + d.runId() + ": the head now has tensors " + head.parameterNames() + ", the run saved "
                    + d.headParameters());
        }
    }

    /**
     * The merged inference graph: a fresh copy of the base encoder (no adapter node), each target
     * layer's weight replaced by {@link org.peft4j.api.method.Adapter#merge}, the head added
     * without dropout and holding its trained values, {@value #LOGITS} {@code [batch, numOutputs]}
     * as the only output. Input extents stay as the model declares them (symbolic when the model's
     * are).
     */
    public static Graph mergedGraph(Rebuilt r, Map<String, float[]> values) {
        EncoderModel model = r.model();
        Graph g = model.graph();
        g.setName(model.id() + "_merged");
        g.clearValueInfos();
        Map<String, LinearLayer> byModule = new HashMap<>();
        for (LinearLayer l : model.linearLayers(g)) {
            byModule.put(l.module(), l);
        }
        ParameterValues parameterValues = parameterValues(values);
        for (LinearLayer target : r.installed().targets()) {
            LinearLayer base = byModule.get(target.module());
            if (base == null) {
                throw new IllegalStateException("the base model has no layer '" + target.module() + "' to merge into");
            }
            Tensor w = g.initializer(base.weight());
            if (w == null) {
                throw new IllegalStateException("layer '" + base.module() + "': weight '" + base.weight() + "' is not an initializer");
            }
            float[] merged = r.installed().adapter().merge(target, w.floats(), parameterValues);
            if (merged.length != w.elementCount()) {
                throw new IllegalStateException("merge of '" + target.module() + "' returned " + merged.length + " values, expected "
                        + w.elementCount());
            }
            String name = base.weight();
            if (g.consumers(base.weight()).size() > 1) {
                name = g.uniqueName(target.module() + ".weight_merged");
                Node matMul = g.producer(base.matMulOutput());
                g.setInput(matMul, matMul.inputs().indexOf(base.weight()), name);
            }
            g.putInitializer(Tensor.ofFloats(name, w.shape(), merged));
        }
        TrainedRun.Description d = r.description();
        HeadSpec spec = new HeadSpec(task(d), Pooling.byId(d.pooling()), d.headDropout(), d.seed());
        Head head = spec.build(g, model.outputName(), "attention_mask", model.hiddenSize(), r.numOutputs(), DropoutFactory.IDENTITY);
        Map<String, float[]> headValues = new HashMap<>();
        for (String h : head.parameterNames()) {
            float[] v = values.get(h);
            if (v == null) {
                throw new IllegalArgumentException("no trained value for head tensor '" + h + "'");
            }
            headValues.put(h, v);
        }
        putValues(g, headValues);
        for (ValueInfo out : List.copyOf(g.outputs())) {
            g.removeOutput(out.name());
        }
        String logits = head.logits();
        if (!logits.equals(LOGITS)) {
            if (g.producer(LOGITS) != null || g.initializer(LOGITS) != null || g.isInput(LOGITS)) {
                throw new IllegalStateException("graph '" + g.name() + "' already has a value named '" + LOGITS + "'");
            }
            g.addNode(new Node(g.uniqueName("logits_Identity"), "Identity", "", List.of(logits), List.of(LOGITS), List.of()));
        }
        g.addOutput(new ValueInfo(LOGITS, DataType.FLOAT, new long[] {-1, r.numOutputs()}));
        g.prune();
        g.sortTopologically();
        return g;
    }

    private static void putValues(Graph g, Map<String, float[]> values) {
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            Tensor old = g.initializer(e.getKey());
            if (old == null) {
                throw new IllegalArgumentException("graph '" + g.name() + "' has no tensor '" + e.getKey() + "'");
            }
            if (old.elementCount() != e.getValue().length) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' of shape " + Arrays.toString(old.shape()) + " needs "
                        + old.elementCount() + " values, got " + e.getValue().length);
            }
            g.putInitializer(Tensor.ofFloats(e.getKey(), old.shape(), e.getValue()));
        }
    }

    /** Read access to {@code values} as an adapter's merge expects it. */
    static ParameterValues parameterValues(Map<String, float[]> values) {
        return new ParameterValues() {
            @Override
            public float[] get(String name) {
                float[] v = values.get(name);
                if (v == null) {
                    throw new IllegalArgumentException("no value for adapter tensor '" + name + "'");
                }
                return v.clone();
            }

            @Override
            public Set<String> names() {
                return Set.copyOf(values.keySet());
            }
        };
    }

    /** The method id of a run, lower-case. */
    static String methodId(TrainedRun.Description d) {
        return d.provenance().method().toLowerCase(Locale.ROOT);
    }
}
