package org.peft4j.plugins.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.Identified;
import org.peft4j.api.config.HyperParameter;
import org.pf4j.ExtensionPoint;

/** The PF4J extension index lists exactly this plugin's extensions, and each describes itself fully. */
class ExtensionIndexTest {

    private static final Set<String> CLASSES = Set.of("org.peft4j.plugins.lora.LoraMethod");
    private static final Set<String> IDS = Set.of("lora");

    @Test
    void indexListsEveryExtensionOnce() throws Exception {
        // test compilation writes an empty index of its own, so read every index on the class path
        // and keep this plugin's entries
        Set<String> indexed = new HashSet<>();
        String pkg = getClass().getPackageName() + ".";
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = url.openStream()) {
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.trim().startsWith(pkg)) {
                        assertTrue(indexed.add(line.trim()), "listed twice: " + line);
                    }
                }
            }
        }
        assertEquals(CLASSES, indexed);
        Set<String> ids = new HashSet<>();
        for (String name : indexed) {
            Object extension = Class.forName(name).getDeclaredConstructor().newInstance();
            assertTrue(extension instanceof ExtensionPoint, name);
            Identified id = (Identified) extension;
            assertTrue(id.id().matches("[a-z0-9]+(-[a-z0-9]+)*"), id.id());
            assertTrue(ids.add(id.id()));
            assertTrue(!id.description().isBlank());
            List<HyperParameter<?>> params = id.hyperParameters();
            assertEquals(params.size(), params.stream().map(HyperParameter::key).distinct().count(), name);
            for (HyperParameter<?> p : params) {
                assertNotNull(p.defaultValue(), name + " " + p.key());
                assertTrue(p.description().length() > 20, name + " " + p.key() + " needs a real description");
            }
        }
        assertEquals(IDS, ids);
    }
}
