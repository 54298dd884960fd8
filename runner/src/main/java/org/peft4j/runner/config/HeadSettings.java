package org.peft4j.runner.config;

import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;

/**
 * The task head put on the encoder: the {@code head} section of a config.
 *
 * @param pooling {@code cls} (first token) or {@code mean} (mean over the attention mask)
 * @param dropout dropout before the dense and classifier layers while training
 */
public record HeadSettings(String pooling, double dropout) {

    /** Every key of the {@code head} section. */
    public static final List<HyperParameter<?>> DECLARATIONS = List.of(
            HyperParameter.ofString("pooling", "cls", "cls (first token) or mean (mean over the attention mask)"),
            HyperParameter.ofDouble("dropout", 0.1, "dropout in the head while training"));

    /** Reads and checks the settings. */
    public static HeadSettings from(HyperParameters p) {
        HeadSettings h = new HeadSettings(p.getString("pooling", "cls"), p.getDouble("dropout", 0.1));
        if (!List.of("cls", "mean").contains(h.pooling)) {
            throw p.invalid("pooling", "expected cls or mean, found '" + h.pooling + "'");
        }
        if (h.dropout < 0 || h.dropout >= 1) {
            throw p.invalid("dropout", "must be in [0, 1), found " + h.dropout);
        }
        return h;
    }
}
