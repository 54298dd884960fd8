package org.peft4j.runner.cli;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.peft4j.runner.Peft4jRuntime;

/**
 * Points the runtime at the bundled plugin jars the build staged, for the test class it extends
 * (as the launcher does with {@code -Dpeft4j.plugins}), and forgets them afterwards.
 */
public final class StagedPlugins implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(Peft4jRuntime.PLUGINS_PROPERTY, System.getProperty("peft4j.test.plugins", "target/plugins"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(Peft4jRuntime.PLUGINS_PROPERTY);
    }
}
