package org.peft4j.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peft4j.runner.results.RunResult;

class FreezeGridTest {

    @Test
    void layersAsRowsAndModuleRolesAsColumns() {
        RunResult run = ReportFixtures.comparison().runs().get(4);
        FreezeGrid grid = FreezeGrid.of(run);
        assertEquals(List.of("layer 0", "layer 1", "layer 2", "layer 3", "layer 4", "layer 5"), grid.rows());
        assertEquals(List.of("query.A", "query.B", "key.A", "key.B", "value.A", "value.B", "attention.output.dense.A",
                "attention.output.dense.B", "intermediate.dense.A", "intermediate.dense.B", "output.dense.A", "output.dense.B"), grid.columns());
        // seed 1: layer 0 query.A frozen from the start, value.B only freezes in layer 5 (column 6 -> step 20 + 50 + 6 + 1)
        assertEquals(FreezeGrid.FROM_START, grid.cells()[0][0]);
        assertEquals(FreezeGrid.NEVER, grid.cells()[0][5]);
        assertEquals(77, grid.cells()[5][5]);
        // layer 2, intermediate.dense.B: column 10 -> 20 + 20 + 10 + 1
        assertEquals(51, grid.cells()[2][9]);
        assertEquals(72 - 5, grid.frozenCount());
        assertEquals(72, grid.cellCount());
        assertEquals(200, grid.lastStep());
    }

    @Test
    void modulesWithoutLayerShareTheLastRow() {
        RunResult base = ReportFixtures.comparison().runs().get(4);
        List<RunResult.FreezeEvent> events = List.of(new RunResult.FreezeEvent(5, "pooler.dense.lora_A", "pooler.dense", "lora_A"),
                new RunResult.FreezeEvent(9, "encoder.layer.1.output.dense.lora_B", "encoder.layer.1.output.dense", "lora_B"),
                new RunResult.FreezeEvent(12, "encoder.layer.1.output.dense.lora_B", "encoder.layer.1.output.dense", "lora_B"));
        RunResult run = new RunResult(base.runId(), base.strategy(), base.dataset(), base.seed(), base.status(), null, base.provenance(),
                base.primaryMetric(), base.bestEpoch(), base.validation(), base.test(), base.parameters(), base.timing(), base.epochs(),
                base.losses(), base.trainableCounts(), events, base.directory());
        FreezeGrid grid = FreezeGrid.of(run);
        assertEquals(List.of("layer 1", "other"), grid.rows());
        assertEquals(List.of("output.dense.B", "pooler.dense.A"), grid.columns());
        assertEquals(9, grid.cells()[0][0], "the first event of a tensor counts");
        assertEquals(FreezeGrid.NEVER, grid.cells()[0][1]);
        assertEquals(5, grid.cells()[1][1]);
    }

    @Test
    void runWithoutEventsIsRejected() {
        RunResult lora = ReportFixtures.comparison().runs().get(0);
        assertThrows(IllegalArgumentException.class, () -> FreezeGrid.of(lora));
    }
}
