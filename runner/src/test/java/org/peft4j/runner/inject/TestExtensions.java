package org.peft4j.runner.inject;

import com.google.inject.Guice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.data.DataContext;
import org.peft4j.api.data.Dataset;
import org.peft4j.api.data.DatasetProvider;
import org.peft4j.api.freeze.FreezeSchedule;
import org.peft4j.api.freeze.FreezeScheduler;
import org.peft4j.api.freeze.ParameterScorer;
import org.peft4j.api.freeze.Scoring;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.api.model.EncoderModel;
import org.peft4j.api.model.ModelContext;
import org.peft4j.api.model.ModelProvider;
import org.peft4j.runner.plugins.Discovered;
import org.peft4j.runner.plugins.ExtensionPoints;

/** Small extensions with known declarations, for config and wiring tests that need no plugin jars. */
public final class TestExtensions {

    private TestExtensions() {
    }

    /** A method with the given id and declarations. */
    public static PeftMethod method(String id, String scorer, String scheduler, HyperParameter<?>... params) {
        return new PeftMethod() {
            public String id() {
                return id;
            }

            public String description() {
                return "test method " + id;
            }

            public List<HyperParameter<?>> hyperParameters() {
                return List.of(params);
            }

            public Adapter configure(HyperParameters p) {
                if (p.getInt("r", 8) <= 0) {
                    throw p.invalid("r", "must be at least 1");
                }
                if (p.getInt("r", 8) == 13) {
                    throw new IllegalStateException("thirteen is unlucky");
                }
                return new Adapter() {
                    public List<org.peft4j.api.graph.LinearLayer> selectTargets(List<org.peft4j.api.graph.LinearLayer> layers) {
                        return List.of();
                    }

                    public void rewrite(org.peft4j.api.graph.LinearLayer layer, org.peft4j.api.method.AdapterContext c) {
                    }

                    public float[] merge(org.peft4j.api.graph.LinearLayer l, float[] w, org.peft4j.api.method.ParameterValues v) {
                        return w;
                    }
                };
            }

            public String defaultScorer() {
                return scorer;
            }

            public String defaultScheduler() {
                return scheduler;
            }
        };
    }

    static <T extends Identified> Discovered<T> from(T e, ExtensionPoints point, String plugin) {
        return new Discovered<>(e, point, plugin, "1.0.0", Path.of(plugin + ".jar"));
    }

    /** lora, aflora (+ its scorer and scheduler), freeze-at-epoch, model tiny, dataset toy. */
    public static Map<ExtensionPoints, List<Discovered<? extends Identified>>> standard() {
        Map<ExtensionPoints, List<Discovered<? extends Identified>>> m = new LinkedHashMap<>();
        for (ExtensionPoints p : ExtensionPoints.all()) {
            m.put(p, new ArrayList<>());
        }
        m.get(ExtensionPoints.METHOD).add(from(method("lora", null, null, HyperParameter.ofInt("r", 8, "rank"),
                HyperParameter.ofDouble("alpha", 8, "scale"), HyperParameter.ofList("targets", List.of("query", "value"), "targets"),
                HyperParameter.ofBoolean("use-rslora", false, "rank-stabilised scale")), ExtensionPoints.METHOD, "lora"));
        m.get(ExtensionPoints.METHOD).add(from(method("aflora", "aflora-sensitivity", "aflora-cubic", HyperParameter.ofInt("r", 4, "rank"),
                HyperParameter.ofList("targets", List.of("query"), "targets")), ExtensionPoints.METHOD, "aflora"));
        m.get(ExtensionPoints.SCORER).add(from(new ParameterScorer() {
            public String id() {
                return "aflora-sensitivity";
            }

            public String description() {
                return "score";
            }

            public List<HyperParameter<?>> hyperParameters() {
                return List.of(HyperParameter.ofDouble("beta1", 0.85, "EMA"));
            }

            public Scoring create(HyperParameters p) {
                return new Scoring() {
                    public void observe(long step, Map<String, org.peft4j.api.training.ParameterState> candidates) {
                    }

                    public Map<String, float[]> elementScores() {
                        return Map.of();
                    }

                    public void release(java.util.Set<String> frozen) {
                    }

                    public Map<String, float[]> state() {
                        return Map.of();
                    }

                    public void restore(Map<String, float[]> state) {
                    }
                };
            }
        }, ExtensionPoints.SCORER, "aflora"));
        for (String id : List.of("aflora-cubic", "freeze-at-epoch")) {
            m.get(ExtensionPoints.SCHEDULER).add(from(new FreezeScheduler() {
                public String id() {
                    return id;
                }

                public String description() {
                    return "schedule";
                }

                public List<HyperParameter<?>> hyperParameters() {
                    return List.of(HyperParameter.ofInt("initial-warmup", 1, "epochs"), HyperParameter.ofInt("epoch", 1, "epoch"));
                }

                public FreezeSchedule create(HyperParameters p) {
                    if (p.getInt("epoch", 1) < 0) {
                        throw p.invalid("epoch", "must not be negative");
                    }
                    return context -> java.util.Set.of();
                }
            }, ExtensionPoints.SCHEDULER, "aflora"));
        }
        m.get(ExtensionPoints.MODEL).add(from(new ModelProvider() {
            public String id() {
                return "tiny";
            }

            public String description() {
                return "model";
            }

            public List<HyperParameter<?>> hyperParameters() {
                return List.of(HyperParameter.ofInt("layers", 2, "layers"));
            }

            public EncoderModel load(HyperParameters p, ModelContext c) {
                throw new UnsupportedOperationException();
            }
        }, ExtensionPoints.MODEL, Discovered.SYSTEM));
        m.get(ExtensionPoints.DATASET).add(from(new DatasetProvider() {
            public String id() {
                return "toy";
            }

            public String description() {
                return "data";
            }

            public List<HyperParameter<?>> hyperParameters() {
                return List.of(HyperParameter.ofString("path", null, "file"));
            }

            public Dataset load(HyperParameters p, DataContext c) {
                throw new UnsupportedOperationException();
            }
        }, ExtensionPoints.DATASET, Discovered.SYSTEM));
        return m;
    }

    /** The catalog of {@link #standard()}, built through Guice. */
    public static ExtensionCatalog catalog() {
        return Guice.createInjector(new ExtensionModule(standard())).getInstance(ExtensionCatalog.class);
    }
}
