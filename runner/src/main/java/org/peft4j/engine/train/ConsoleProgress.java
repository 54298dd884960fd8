package org.peft4j.engine.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.peft4j.api.training.RunInfo;
import org.peft4j.api.training.StepEvent;
import org.peft4j.api.training.TrainingListener;

/**
 * A console progress bar on standard error: steps done of the total, ETA, and the epoch, the
 * step's loss and the training throughput in examples per second.
 *
 * <p>Contract: one bar per run, opened at {@link #onRunStart} (positioned at the resumed step)
 * and closed at {@link #onRunEnd}.
 */
public final class ConsoleProgress implements TrainingListener {

    private final int batchSize;
    private final long startStep;
    private ProgressBar bar;
    private long started;
    private long stepsSeen;
    private int epochs;

    /**
     * @param batchSize examples per step, for the throughput
     * @param startStep the step the run starts at (non-zero when resuming)
     */
    public ConsoleProgress(int batchSize, long startStep) {
        this.batchSize = batchSize;
        this.startStep = startStep;
    }

    @Override
    public void onRunStart(RunInfo run) {
        epochs = run.epochs();
        bar = new ProgressBarBuilder().setTaskName(run.runId()).setInitialMax(run.totalSteps()).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).showSpeed().setUnit(" steps", 1).continuousUpdate()
                .startsFrom(startStep, java.time.Duration.ZERO).build();
        started = System.nanoTime();
    }

    @Override
    public void onStep(StepEvent step) {
        stepsSeen++;
        double seconds = (System.nanoTime() - started) / 1e9;
        double throughput = seconds > 0 ? stepsSeen * batchSize / seconds : 0;
        bar.stepTo(step.step() + 1);
        bar.setExtraMessage(String.format(java.util.Locale.ROOT, " epoch %d/%d loss %.4f %.0f ex/s", step.epoch() + 1, epochs,
                step.loss(), throughput));
    }

    @Override
    public void onRunEnd(RunInfo run, Throwable error) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
