package org.peft4j.api.graph;

import java.util.List;
import java.util.Objects;

/**
 * An operator attribute, as ONNX has them.
 *
 * <p>Contract: exactly one kind of value per attribute; values are immutable. The accessors throw
 * {@link IllegalStateException} naming the attribute when asked for another kind.
 */
public sealed interface Attribute {

    /** The attribute's name, such as {@code perm} or {@code axis}. */
    String name();

    /** An integer attribute. */
    record Int(String name, long value) implements Attribute {
        public Int {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A float attribute. */
    record Float(String name, float value) implements Attribute {
        public Float {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A string attribute. */
    record Str(String name, String value) implements Attribute {
        public Str {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A list-of-integers attribute. */
    record Ints(String name, List<Long> values) implements Attribute {
        public Ints {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
        }

        /** The values as a primitive array. */
        public long[] array() {
            return values.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** A list-of-floats attribute. */
    record Floats(String name, List<java.lang.Float> values) implements Attribute {
        public Floats {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
        }
    }

    /** A list-of-strings attribute. */
    record Strings(String name, List<String> values) implements Attribute {
        public Strings {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
        }
    }

    /** A tensor attribute, such as the value of a {@code Constant}. */
    record TensorValue(String name, Tensor value) implements Attribute {
        public TensorValue {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** An integer attribute from primitive values. */
    static Attribute ints(String name, long... values) {
        return new Ints(name, java.util.Arrays.stream(values).boxed().toList());
    }
}
