package org.peft4j.runner.inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.peft4j.api.Identified;
import org.peft4j.runner.plugins.Discovered;
import org.peft4j.runner.plugins.ExtensionPoints;

/**
 * Every bound extension by point and id, with its origin, for validation messages ("available:
 * ...") and provenance.
 *
 * <p>Contract: immutable; ids are unique per point (checked by {@link ExtensionModule}).
 */
public final class ExtensionCatalog {

    private final Map<ExtensionPoints, Map<String, Discovered<? extends Identified>>> byPoint = new LinkedHashMap<>();

    ExtensionCatalog(Map<ExtensionPoints, List<Discovered<? extends Identified>>> extensions) {
        for (ExtensionPoints p : ExtensionPoints.all()) {
            Map<String, Discovered<? extends Identified>> m = new LinkedHashMap<>();
            for (Discovered<? extends Identified> d : extensions.getOrDefault(p, List.of())) {
                m.put(d.id(), d);
            }
            byPoint.put(p, m);
        }
    }

    /** The extension of {@code point} with {@code id}, if any. */
    public Optional<Discovered<? extends Identified>> find(ExtensionPoints point, String id) {
        return Optional.ofNullable(byPoint.get(point).get(id));
    }

    /** The ids of {@code point}, in discovery order. */
    public List<String> ids(ExtensionPoints point) {
        return new ArrayList<>(byPoint.get(point).keySet());
    }
}
