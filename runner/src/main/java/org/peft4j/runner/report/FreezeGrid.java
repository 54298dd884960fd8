package org.peft4j.runner.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.peft4j.runner.results.RunResult;

/**
 * A run's freeze events laid out as a layer × matrix grid: the data of the freezing-timeline heatmap.
 *
 * <p>Rows are encoder layers, parsed from module names containing {@code layer.<n>.} (such as
 * {@code encoder.layer.3.attention.self.query}); modules without a layer number share one last row named
 * {@code other}. Columns are module × role: the module name after the layer number, without a leading
 * {@code attention.self.}, joined with the role's last {@code _}-separated part, so
 * {@code encoder.layer.3.attention.self.query} with role {@code aflora_A} is column {@code query.A}. Columns are in
 * the order of a transformer block (query, key, value, attention output, intermediate, output, then the rest by name),
 * roles by name. A cell holds the step at which that tensor froze ({@link #FROM_START} for step 0 or earlier); a
 * cell whose column exists in the grid but whose tensor never froze is {@link #NEVER}. When one tensor has several
 * events, the first counts.
 *
 * @param rows the row labels, top to bottom ({@code layer 0}, {@code layer 1}, ..., then {@code other} if any)
 * @param columns the column labels, left to right
 * @param cells {@code cells[row][column]}: the step, {@link #FROM_START} or {@link #NEVER}
 * @param lastStep the last step shown on the colour scale: the run's steps, or the latest event when larger
 */
public record FreezeGrid(List<String> rows, List<String> columns, long[][] cells, long lastStep) {

    /** A cell whose tensor was frozen from the start (an event at step 0 or earlier). */
    public static final long FROM_START = 0;
    /** A cell whose tensor never froze. */
    public static final long NEVER = -1;

    private static final Pattern LAYER = Pattern.compile("(?:^|.*\\.)layer\\.(\\d+)\\.(.+)");
    private static final List<String> BLOCK_ORDER = List.of("query", "key", "value", "attention.output.dense", "intermediate.dense",
            "output.dense");

    /**
     * Lays out {@code run}'s freeze events.
     *
     * @throws IllegalArgumentException if the run has no freeze events
     */
    public static FreezeGrid of(RunResult run) {
        List<RunResult.FreezeEvent> events = run.freezes();
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("run " + run.runId() + " has no freeze events");
        }
        record Cell(String row, int layer, String column, String module, long step) {
        }
        List<Cell> cells = new ArrayList<>();
        for (RunResult.FreezeEvent e : events) {
            String module = e.module() == null ? e.parameter() : e.module();
            String role = e.role() == null ? "" : e.role().substring(e.role().lastIndexOf('_') + 1);
            Matcher m = LAYER.matcher(Objects.toString(module, ""));
            String row;
            int layer;
            String mod;
            if (m.matches()) {
                layer = Integer.parseInt(m.group(1));
                row = "layer " + layer;
                mod = m.group(2).startsWith("attention.self.") ? m.group(2).substring("attention.self.".length()) : m.group(2);
            } else {
                layer = Integer.MAX_VALUE;
                row = "other";
                mod = Objects.toString(module, "?");
            }
            cells.add(new Cell(row, layer, role.isEmpty() ? mod : mod + "." + role, mod, e.step()));
        }
        TreeSet<Integer> layers = new TreeSet<>();
        cells.forEach(c -> layers.add(c.layer()));
        List<String> rows = new ArrayList<>();
        for (int l : layers) {
            rows.add(l == Integer.MAX_VALUE ? "other" : "layer " + l);
        }
        Map<String, String> columnModule = new LinkedHashMap<>();
        cells.forEach(c -> columnModule.putIfAbsent(c.column(), c.module()));
        List<String> columns = new ArrayList<>(columnModule.keySet());
        columns.sort(Comparator.<String>comparingInt(c -> {
            int i = BLOCK_ORDER.indexOf(columnModule.get(c));
            return i < 0 ? BLOCK_ORDER.size() : i;
        }).thenComparing(c -> columnModule.get(c)).thenComparing(c -> c));
        long[][] grid = new long[rows.size()][columns.size()];
        for (long[] row : grid) {
            java.util.Arrays.fill(row, Long.MIN_VALUE);
        }
        long last = run.timing() == null ? 0 : run.timing().steps();
        for (Cell c : cells) {
            int r = rows.indexOf(c.row());
            int col = columns.indexOf(c.column());
            if (grid[r][col] == Long.MIN_VALUE) {
                grid[r][col] = Math.max(FROM_START, c.step());
            }
            last = Math.max(last, c.step());
        }
        for (long[] row : grid) {
            for (int i = 0; i < row.length; i++) {
                if (row[i] == Long.MIN_VALUE) {
                    row[i] = NEVER;
                }
            }
        }
        return new FreezeGrid(List.copyOf(rows), List.copyOf(columns), grid, last);
    }

    /** How many cells froze (including from the start). */
    public int frozenCount() {
        int n = 0;
        for (long[] row : cells) {
            for (long v : row) {
                if (v != NEVER) {
                    n++;
                }
            }
        }
        return n;
    }

    /** How many cells the grid has. */
    public int cellCount() {
        return rows.size() * columns.size();
    }
}
