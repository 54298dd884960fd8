package org.peft4j.zoo.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Seeded, stratified splitting of a list of items into parts.
 *
 * <p>Contract: items are grouped by their stratum key; the groups are visited in the natural order
 * of their keys, and one {@link Random} seeded with {@code seed} shuffles each group in turn. From
 * each shuffled group of {@code n} items the first {@code round(n * fraction[0])} go to part 1, the
 * next {@code round(n * fraction[1])} to part 2, and so on; the rest form part 0. Within every
 * part the items keep their original order. The same input, keys, fractions and seed always give
 * the same parts.
 */
public final class Splits {

    private Splits() {
    }

    /**
     * Splits {@code items} into {@code 1 + fractions.length} parts.
     *
     * @param items the items, in their original order
     * @param stratum the stratum key of an item (return one constant for no stratification)
     * @param seed the shuffle seed
     * @param fractions the fractions of parts 1.. of each stratum; each in [0, 1), summing below 1
     * @param <T> the item type
     * @param <K> the stratum key type
     * @return the parts; part 0 holds the remainder
     */
    public static <T, K extends Comparable<K>> List<List<T>> stratified(List<T> items, Function<T, K> stratum, long seed,
            double... fractions) {
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f < 1)) {
                throw new IllegalArgumentException("split fraction " + f + " is not in [0, 1)");
            }
            sum += f;
        }
        if (sum >= 1) {
            throw new IllegalArgumentException("split fractions " + java.util.Arrays.toString(fractions) + " leave nothing for training");
        }
        Map<K, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < items.size(); i++) {
            groups.computeIfAbsent(stratum.apply(items.get(i)), k -> new ArrayList<>()).add(i);
        }
        int[] part = new int[items.size()];
        Random random = new Random(seed);
        for (List<Integer> group : groups.values()) {
            Collections.shuffle(group, random);
            int offset = 0;
            for (int p = 0; p < fractions.length; p++) {
                int count = (int) Math.round(group.size() * fractions[p]);
                count = Math.min(count, group.size() - offset);
                for (int j = offset; j < offset + count; j++) {
                    part[group.get(j)] = p + 1;
                }
                offset += count;
            }
        }
        List<List<T>> parts = new ArrayList<>();
        for (int p = 0; p <= fractions.length; p++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < items.size(); i++) {
            parts.get(part[i]).add(items.get(i));
        }
        return parts;
    }
}
