package org.peft4j.zoo.data;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps label values as written in files to class indices, and indices to display names.
 *
 * <p>Contract: {@link #values()} are the label values as they appear in files, distinct and in
 * index order; {@link #names()} the names shown to users, same order and size. Values are matched
 * exactly (after trimming surrounding whitespace).
 */
public final class LabelMapping {

    private final List<String> values;
    private final List<String> names;
    private final Map<String, Integer> index = new HashMap<>();

    /**
     * @param values label values as written in files, in index order
     * @param names display names, same size; or null to use the values
     */
    public LabelMapping(List<String> values, List<String> names) {
        this.values = List.copyOf(values);
        this.names = names == null ? this.values : List.copyOf(names);
        if (this.values.isEmpty()) {
            throw new IllegalArgumentException("a label set needs at least one label");
        }
        if (this.names.size() != this.values.size()) {
            throw new IllegalArgumentException("label values " + values + " and names " + names + " differ in size");
        }
        for (int i = 0; i < this.values.size(); i++) {
            if (index.put(this.values.get(i), i) != null) {
                throw new IllegalArgumentException("label '" + this.values.get(i) + "' is listed twice in " + values);
            }
        }
    }

    /** Labels whose names are their values. */
    public static LabelMapping of(List<String> values) {
        return new LabelMapping(values, null);
    }

    /**
     * The labels that occur in {@code labels}, sorted: numerically when every one is a number,
     * otherwise lexicographically.
     */
    public static LabelMapping inferred(Collection<String> labels) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String l : labels) {
            distinct.add(l.trim());
        }
        List<String> sorted = new ArrayList<>(distinct);
        boolean numeric = sorted.stream().allMatch(LabelMapping::isNumber);
        if (numeric) {
            sorted.sort(Comparator.comparing(BigDecimal::new));
        } else {
            sorted.sort(Comparator.naturalOrder());
        }
        return of(sorted);
    }

    private static boolean isNumber(String s) {
        try {
            new BigDecimal(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Label values as written in files, by index. */
    public List<String> values() {
        return values;
    }

    /** Display names, by index. */
    public List<String> names() {
        return names;
    }

    /** The number of classes. */
    public int size() {
        return values.size();
    }

    /**
     * The index of the example's label.
     *
     * @throws MalformedDataException naming the example's file and line when the label is unknown
     */
    public int indexOf(RawExample example) throws MalformedDataException {
        Objects.requireNonNull(example, "example");
        Integer i = index.get(example.label().trim());
        if (i == null) {
            throw new MalformedDataException(example.source(), example.line(), "unknown label '" + example.label()
                    + "'; expected one of " + values);
        }
        return i;
    }
}
