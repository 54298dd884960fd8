package org.peft4j.plugins.aflora;

import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.peft4j.api.freeze.ParameterScorer;
import org.peft4j.api.freeze.Scoring;
import org.pf4j.Extension;

/**
 * The {@code aflora-sensitivity} scorer: AFLoRA's freezing score, a windowed EMA of the
 * sensitivity {@code |∇P|} (or {@code |P ⊙ ∇P|}) and of its uncertainty; the element score is
 * {@code Ī ⊙ Ū}. See {@link SensitivityScoring} for the exact update.
 *
 * <p>Contract: stateless and thread-safe; {@link #create} validates {@code beta1} and
 * {@code beta2} in {@code [0, 1)}, {@code window >= 1} and {@code sensitivity}.
 */
@Extension
public final class AfloraSensitivityScorer implements ParameterScorer {

    /** The id configs use. */
    public static final String ID = "aflora-sensitivity";

    /** EMA factor of the sensitivity. */
    public static final HyperParameter<Double> BETA1 =
            HyperParameter.ofDouble("beta1", 0.85, "EMA factor of the window-averaged sensitivity, in [0, 1)");

    /** EMA factor of the uncertainty. */
    public static final HyperParameter<Double> BETA2 =
            HyperParameter.ofDouble("beta2", 0.95, "EMA factor of the sensitivity's uncertainty, in [0, 1)");

    /** Window length ΔT in optimizer steps. */
    public static final HyperParameter<Integer> WINDOW = HyperParameter.ofInt("window", 10,
            "window length in optimizer steps over which the sensitivity is averaged before each EMA update (at least 1)");

    /** Sensitivity definition. */
    public static final HyperParameter<String> SENSITIVITY = HyperParameter.ofString("sensitivity", "gradient",
            "sensitivity of an element: gradient (|grad P|, as AFLoRA) or weight-times-gradient (|P * grad P|, as AdaLoRA)");

    private static final List<HyperParameter<?>> ALL = List.of(BETA1, BETA2, WINDOW, SENSITIVITY);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "AFLoRA freezing score: windowed EMA of the sensitivity times the EMA of its uncertainty";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return ALL;
    }

    @Override
    public Scoring create(HyperParameters params) {
        double beta1 = params.get(BETA1);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw params.invalid(BETA1.key(), "must be in [0, 1), got " + beta1);
        }
        double beta2 = params.get(BETA2);
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw params.invalid(BETA2.key(), "must be in [0, 1), got " + beta2);
        }
        int window = params.get(WINDOW);
        if (window < 1) {
            throw params.invalid(WINDOW.key(), "must be at least 1 step, got " + window);
        }
        String s = params.get(SENSITIVITY).trim();
        boolean weightTimesGradient = switch (s) {
            case "gradient" -> false;
            case "weight-times-gradient" -> true;
            default -> throw params.invalid(SENSITIVITY.key(), "expected gradient or weight-times-gradient, got '" + s + "'");
        };
        return new SensitivityScoring(beta1, beta2, window, weightTimesGradient);
    }
}
