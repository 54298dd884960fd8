package org.peft4j.zoo.heads;

import java.util.Locale;

/** How a head turns the per-token hidden states {@code [B, T, H]} into one vector per example. */
public enum Pooling {
    /** The hidden state of the first token ({@code [CLS]}). */
    CLS,
    /** The mean of the hidden states of the real tokens (attention mask 1); padding is ignored. */
    MEAN;

    /** The id used in configs: {@code cls} or {@code mean}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The pooling with that id, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted ids
     */
    public static Pooling byId(String id) {
        for (Pooling p : values()) {
            if (p.id().equalsIgnoreCase(id.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pooling '" + id + "'; expected cls or mean");
    }
}
