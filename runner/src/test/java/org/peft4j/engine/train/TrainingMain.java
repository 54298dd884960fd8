package org.peft4j.engine.train;

import java.nio.file.Path;
import java.util.List;
import org.peft4j.api.training.StepEvent;
import org.peft4j.api.training.TrainingListener;

/**
 * A separate training process for the kill-and-resume test: {@code TrainingMain <dir> <outcome file>
 * <resume:true|false> <sleep ms per step>}. Prints {@code step N} after every step.
 */
public final class TrainingMain {

    private TrainingMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path outcome = Path.of(args[1]);
        boolean resume = Boolean.parseBoolean(args[2]);
        long sleep = Long.parseLong(args[3]);
        TrainingListener pacer = new TrainingListener() {
            @Override
            public void onStep(StepEvent step) {
                System.out.println("step " + step.step());
                System.out.flush();
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        TrainingResult r = ResumeFixture.run(dir, resume, List.of(pacer));
        ResumeFixture.writeOutcome(r, outcome);
        System.out.println("done " + r.steps() + " resumed-from " + r.resumedFromStep());
    }
}
