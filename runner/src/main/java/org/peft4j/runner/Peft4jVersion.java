package org.peft4j.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The framework version, which plugins check in their {@code Plugin-Requires}. */
public final class Peft4jVersion {

    private static final Properties PROPERTIES = load();
    private static final String VERSION = PROPERTIES.getProperty("version");

    private Peft4jVersion() {
    }

    /** The version of this build, such as {@code 0.1.0}. */
    public static String get() {
        return VERSION;
    }

    /** The ONNX Runtime build this runner was built against, such as {@code onnxruntime 1.29.0}. */
    public static String onnxRuntime() {
        return PROPERTIES.getProperty("onnxruntime", "unknown");
    }

    private static Properties load() {
        try (InputStream in = Peft4jVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the runner jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
