package org.peft4j.runner.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.freeze.FreezeScheduler;
import org.peft4j.api.freeze.ParameterScorer;
import org.peft4j.api.method.PeftMethod;
import org.peft4j.runner.plugins.Discovered;
import org.peft4j.runner.plugins.ExtensionPoints;

class ExtensionModuleTest {

    @Test
    void resolvesEveryExtensionById() {
        Injector injector = Guice.createInjector(new ExtensionModule(TestExtensions.standard()));
        Map<String, PeftMethod> methods = injector.getInstance(Key.get(new TypeLiteral<Map<String, PeftMethod>>() { }));
        assertEquals(List.of("lora", "aflora"), List.copyOf(methods.keySet()));
        assertEquals("lora", methods.get("lora").id());
        Map<String, ParameterScorer> scorers = injector.getInstance(Key.get(new TypeLiteral<Map<String, ParameterScorer>>() { }));
        assertEquals("aflora-sensitivity", scorers.get("aflora-sensitivity").id());
        Map<String, FreezeScheduler> schedulers = injector.getInstance(Key.get(new TypeLiteral<Map<String, FreezeScheduler>>() { }));
        assertEquals(2, schedulers.size());
        ExtensionCatalog catalog = injector.getInstance(ExtensionCatalog.class);
        assertEquals("aflora@1.0.0", catalog.find(ExtensionPoints.SCHEDULER, "aflora-cubic").orElseThrow().origin());
        assertTrue(catalog.find(ExtensionPoints.METHOD, "nope").isEmpty());
    }

    @Test
    void duplicateIdsNameBothPlugins() {
        Map<ExtensionPoints, List<Discovered<? extends Identified>>> m = TestExtensions.standard();
        m.get(ExtensionPoints.METHOD).add(TestExtensions.from(TestExtensions.method("lora", null, null, HyperParameter.ofInt("r", 8, "rank")),
                ExtensionPoints.METHOD, "lora-fork"));
        DuplicateExtensionException e = assertThrows(DuplicateExtensionException.class, () -> new ExtensionModule(m));
        assertTrue(e.getMessage().contains("'lora'") && e.getMessage().contains("lora@1.0.0") && e.getMessage().contains("lora-fork@1.0.0"),
                e.getMessage());
    }
}
