package org.example.peft4j.ia3;

import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.method.Adapter;
import org.peft4j.api.method.PeftMethod;
import org.pf4j.Extension;

/**
 * The {@code ia3} method, (IA)³ of Liu et al. 2022 ("Few-Shot Parameter-Efficient Fine-Tuning is
 * Better and Cheaper than In-Context Learning"): learned vectors, initialised to 1, that rescale
 * the keys and values of every attention layer and the activations of every feed-forward layer.
 *
 * <p>In a BERT encoder (linear layers {@code y = x W + bias}, {@code W} stored {@code [in, out]}):
 * <ul>
 *   <li>keys and values: {@code y = (x W) ⊙ l + bias} with {@code l} of width {@code out};</li>
 *   <li>feed-forward: the activations {@code a = GELU(intermediate.dense(h))} are rescaled before
 *       the FFN output layer, {@code y = (a ⊙ l) W + bias} with {@code l} of width {@code in} (the
 *       FFN width), which is the paper's {@code l_ff ⊙ γ(W1 x)}.</li>
 * </ul>
 * Merging is exact: {@code W' = W diag(l)} (columns) for keys and values, {@code W' = diag(l) W}
 * (rows) for the FFN output layer. The paper also rescales the key and value biases; peft4j's merge
 * folds an adapter into the weight only, so here the biases are left as they are (the bias is a
 * constant per output unit, which the head and the next layer norm absorb easily).
 *
 * <p>Contract: stateless and thread-safe; {@link #configure} validates the hyperparameters and
 * returns a fresh {@link Ia3Adapter}.
 */
@Extension
public final class Ia3Method implements PeftMethod {

    /** The id configs use. */
    public static final String ID = "ia3";

    /** Targeted modules. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<List> TARGETS = HyperParameter.ofList("targets",
            List.of("attention.self.key", "attention.self.value", "output.dense"),
            "modules to rescale: module-name suffixes, or one regular expression matching the whole name (as HF PEFT target_modules)");

    /** Excluded modules. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<List> EXCLUDE = HyperParameter.ofList("exclude", List.of("attention.output.dense"),
            "modules to skip even if targeted, like targets; by default the attention output, which the suffix output.dense also matches");

    /** Targets rescaled at their input rather than their output. */
    @SuppressWarnings("rawtypes")
    public static final HyperParameter<List> FEEDFORWARD = HyperParameter.ofList("feedforward-modules", List.of("output.dense"),
            "targets whose input (the FFN activations) is rescaled rather than their output, like targets (as HF PEFT feedforward_modules)");

    private static final List<HyperParameter<?>> ALL = List.of(TARGETS, EXCLUDE, FEEDFORWARD);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "(IA)3 (Liu et al. 2022): learned vectors, initialised to 1, rescaling keys, values and FFN activations";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return ALL;
    }

    @Override
    public Adapter configure(HyperParameters params) {
        List<String> targets = params.getList(TARGETS.key(), castList(TARGETS.defaultValue()));
        List<String> exclude = params.getList(EXCLUDE.key(), castList(EXCLUDE.defaultValue()));
        List<String> feedforward = params.getList(FEEDFORWARD.key(), castList(FEEDFORWARD.defaultValue()));
        return new Ia3Adapter(params, targets, exclude, feedforward);
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(List<?> list) {
        return (List<String>) list;
    }
}
