package org.peft4j.runner.inject;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peft4j.api.Identified;
import org.peft4j.api.data.DatasetProvider;
import org.peft4j.api.freeze.FreezeScheduler;
import org.peft4j.api.freeze.ParameterScorer;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.api.model.ModelProvider;
import org.peft4j.runner.plugins.Discovered;
import org.peft4j.runner.plugins.ExtensionPoints;

/**
 * Binds every discovered extension by id: {@code Map<String, PeftMethod>},
 * {@code Map<String, ParameterScorer>}, {@code Map<String, FreezeScheduler>},
 * {@code Map<String, ModelProvider>}, {@code Map<String, DatasetProvider>}, plus the
 * {@link ExtensionCatalog} that knows each extension's origin.
 *
 * <p>Contract: constructing the module checks ids; two extensions of one point with the same id
 * throw {@link DuplicateExtensionException} naming both plugins.
 */
public final class ExtensionModule extends AbstractModule {

    private final Map<ExtensionPoints, List<Discovered<? extends Identified>>> extensions;
    private final ExtensionCatalog catalog;

    /** @param extensions the discovered extensions by point */
    public ExtensionModule(Map<ExtensionPoints, List<Discovered<? extends Identified>>> extensions) {
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        for (Map.Entry<ExtensionPoints, List<Discovered<? extends Identified>>> e : extensions.entrySet()) {
            Map<String, Discovered<?>> seen = new HashMap<>();
            for (Discovered<?> d : e.getValue()) {
                Discovered<?> previous = seen.putIfAbsent(d.id(), d);
                if (previous != null) {
                    throw new DuplicateExtensionException(e.getKey().word(), d.id(), previous.origin(), d.origin());
                }
            }
        }
        this.catalog = new ExtensionCatalog(extensions);
    }

    @Override
    protected void configure() {
        bindAll(ExtensionPoints.METHOD, PeftMethod.class);
        bindAll(ExtensionPoints.SCORER, ParameterScorer.class);
        bindAll(ExtensionPoints.SCHEDULER, FreezeScheduler.class);
        bindAll(ExtensionPoints.MODEL, ModelProvider.class);
        bindAll(ExtensionPoints.DATASET, DatasetProvider.class);
        bind(ExtensionCatalog.class).toInstance(catalog);
    }

    private <T extends Identified> void bindAll(ExtensionPoints point, Class<T> type) {
        MapBinder<String, T> binder = MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class), TypeLiteral.get(type));
        for (Discovered<? extends Identified> d : extensions.getOrDefault(point, List.of())) {
            binder.addBinding(d.id()).toInstance(type.cast(d.extension()));
        }
    }
}
