package org.peft4j.plugins.aflora;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peft4j.api.testing.ExtensionIndexCheck;

/** The PF4J extension index lists exactly this plugin's extensions, and each describes itself fully. */
class ExtensionIndexTest {

    private static final Set<String> CLASSES = Set.of("org.peft4j.plugins.aflora.AfloraMethod", "org.peft4j.plugins.aflora.AfloraSensitivityScorer", "org.peft4j.plugins.aflora.AfloraCubicScheduler", "org.peft4j.plugins.aflora.FreezeAtEpochScheduler", "org.peft4j.plugins.aflora.WeightMagnitudeScorer");
    private static final Set<String> IDS = Set.of("aflora", "aflora-sensitivity", "aflora-cubic", "freeze-at-epoch", "weight-magnitude");

    @Test
    void indexListsEveryExtensionOnce() throws Exception {
        ExtensionIndexCheck.assertIndexed(getClass(), CLASSES, IDS);
    }
}
