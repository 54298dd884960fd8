package org.peft4j.plugins.elora;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.testing.ExtensionIndexCheck;

/** The PF4J extension index lists exactly this plugin's extensions, and each describes itself fully. */
class ExtensionIndexTest {

    private static final Set<String> CLASSES = Set.of("org.peft4j.plugins.elora.EloraMethod");
    private static final Set<String> IDS = Set.of("elora");

    @Test
    void indexListsEveryExtensionOnce() throws Exception {
        ExtensionIndexCheck.assertIndexed(getClass(), CLASSES, IDS);
    }
}
