package org.peft4j.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameter;
import org.pf4j.ExtensionPoint;

/**
 * The check every plugin's tests make of its PF4J extension index: the index lists exactly the
 * expected extension classes of the plugin's package, once each, and each extension describes itself
 * fully (kebab-case id unique in the plugin, a description, every hyperparameter with a default and a
 * real description).
 */
public final class ExtensionIndexCheck {

    private ExtensionIndexCheck() {
    }

    /**
     * Asserts the index of the plugin that {@code testClass} belongs to (by package).
     *
     * @param testClass a test class in the plugin's package
     * @param classes the fully qualified extension classes expected in the index
     * @param ids the extension ids they must have
     */
    public static void assertIndexed(Class<?> testClass, Set<String> classes, Set<String> ids) throws IOException, ReflectiveOperationException {
        // test compilation writes an empty index of its own, so read every index on the class path
        // and keep this plugin's entries
        Set<String> indexed = new HashSet<>();
        String pkg = testClass.getPackageName() + ".";
        for (URL url : Collections.list(testClass.getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = url.openStream()) {
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.trim().startsWith(pkg)) {
                        assertTrue(indexed.add(line.trim()), "listed twice: " + line);
                    }
                }
            }
        }
        assertEquals(classes, indexed);
        Set<String> seen = new HashSet<>();
        for (String name : indexed) {
            Object extension = Class.forName(name).getDeclaredConstructor().newInstance();
            assertTrue(extension instanceof ExtensionPoint, name);
            Identified id = (Identified) extension;
            assertTrue(id.id().matches("[a-z0-9]+(-[a-z0-9]+)*"), id.id());
            assertTrue(seen.add(id.id()));
            assertTrue(!id.description().isBlank());
            List<HyperParameter<?>> params = id.hyperParameters();
            assertEquals(params.size(), params.stream().map(HyperParameter::key).distinct().count(), name);
            for (HyperParameter<?> p : params) {
                assertNotNull(p.defaultValue(), name + " " + p.key());
                assertTrue(p.description().length() > 20, name + " " + p.key() + " needs a real description");
            }
        }
        assertEquals(ids, seen);
    }
}
