/**
 * Evaluation metrics by id: {@code accuracy}, {@code f1} (binary, positive class 1),
 * {@code matthews}, {@code pearson} and {@code spearman}; see {@link org.peft4j.zoo.metrics.Metrics}.
 */
package org.peft4j.zoo.metrics;
