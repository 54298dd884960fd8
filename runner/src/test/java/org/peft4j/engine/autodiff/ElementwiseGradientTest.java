package org.peft4j.engine.autodiff;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peft4j.api.graph.Attribute;

/** Finite-difference checks of the element-wise operators, with broadcasting and batch axes. */
class ElementwiseGradientTest {

    @Test
    void addBroadcastsOverBatchAndSingletonAxes() {
        GradCheck c = GradCheck.doubles();
        String y = c.op("Add", c.input("a", 2, 3, 4), c.input("b", 3, 1));
        c.check(y);
        GradCheck s = GradCheck.doubles();
        s.check(s.op("Add", s.input("a", 4), s.input("b", 2, 3, 4)));
    }

    @Test
    void subBothDirectionsOfBroadcast() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("Sub", c.input("a", 1, 4), c.input("b", 3, 1)));
        GradCheck d = GradCheck.doubles();
        d.check(d.op("Sub", d.input("a", 2, 3, 4), d.input("b", 2, 3, 4)));
    }

    @Test
    void mulWithScalarAndSameInputTwice() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("Mul", c.input("a", 2, 3), c.input("s")));
        GradCheck d = GradCheck.doubles();
        String x = d.input("x", 3, 4);
        d.check(d.op("Mul", x, x));
    }

    @Test
    void divBroadcastDenominator() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("Div", c.input("a", 2, 3, 4), c.input("b", 0.5, 2, 4)));
        GradCheck d = GradCheck.doubles();
        d.check(d.op("Div", d.input("a", 0.5, 2, 3, 1), d.input("b", 0.5, 2, 3, 5)));
    }

    @Test
    void powWithConstantExponents() {
        for (double e : new double[] {2.0, 0.5, 3.0, -1.5, 1.0}) {
            GradCheck c = GradCheck.doubles();
            String x = c.input("x", 0.5, 2.0, 2, 5);
            c.check(c.op("Pow", x, c.constant("e", new double[] {e})));
        }
        GradCheck v = GradCheck.doubles();
        v.check(v.op("Pow", v.input("x", 0.5, 2.0, 2, 3), v.constant("e", new double[] {1, 2, 3}, 3)));
    }

    @Test
    void unaryOperators() {
        for (String op : List.of("Sqrt", "Exp", "Log", "Neg", "Tanh", "Sigmoid", "Relu", "Abs", "Identity")) {
            GradCheck c = GradCheck.doubles();
            boolean positive = op.equals("Sqrt") || op.equals("Log");
            String x = positive ? c.input("x", 0.3, 2, 3, 4) : c.input("x", 3, 4);
            c.check(c.op(op, x));
        }
    }

    @Test
    void erfInFloat() {
        GradCheck c = GradCheck.floats();
        c.check(c.op("Erf", c.input("x", 2, 3, 4)));
    }

    @Test
    void whereRoutesGradientsByCondition() {
        GradCheck c = GradCheck.doubles();
        String cond = c.boolInput("cond", new boolean[] {true, false, false, true}, 4);
        c.check(c.op("Where", cond, c.input("a", 3, 4), c.input("b", 1)));
    }

    @Test
    void castBetweenFloatTypes() {
        GradCheck c = GradCheck.doubles();
        c.eps = 1e-3;
        c.rtol = 1e-3;
        c.atol = 1e-4;
        String x = c.input("x", 2, 3);
        String f = c.op("Cast", List.of(x), new Attribute.Int("to", 1));
        String sq = c.op("Mul", f, f);
        c.check(c.op("Cast", List.of(sq), new Attribute.Int("to", 11)));
    }

    @Test
    void sumOfThree() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("Sum", c.input("a", 2, 3), c.input("b", 3), c.input("c", 2, 1)));
    }

    @Test
    void reciprocalSoftplusAndLeakyRelu() {
        GradCheck c = GradCheck.doubles();
        c.check(c.op("Reciprocal", c.input("x", 0.5, 2, 3, 4)));
        GradCheck d = GradCheck.floats();
        d.check(d.op("Softplus", d.input("x", 3, 4)));
        GradCheck e = GradCheck.doubles();
        e.check(e.op("LeakyRelu", List.of(e.input("x", 3, 4)), new Attribute.Float("alpha", 0.2f)));
    }

    @Test
    void maxMinMeanAndClip() {
        for (String op : List.of("Max", "Min")) {
            GradCheck c = GradCheck.doubles();
            c.check(c.op(op, c.input("a", 2, 3, 4), c.input("b", 3, 1)));
        }
        GradCheck m = GradCheck.floats();
        m.check(m.op("Mean", m.input("a", 2, 3), m.input("b", 3), m.input("c", 2, 1)));
        GradCheck c = GradCheck.doubles();
        String lo = c.constant("lo", new double[] {-0.5});
        String hi = c.constant("hi", new double[] {0.4});
        c.check(c.op("Clip", c.input("x", 4, 5), lo, hi));
        GradCheck d = GradCheck.doubles();
        d.check(d.op("Clip", List.of(d.input("x", 4, 5), d.constant("lo", new double[] {0.1}))));
    }
}
