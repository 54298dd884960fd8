/**
 * Observing training: the {@link org.peft4j.api.training.TrainingListener} extension point and
 * the events the training loop sends it.
 */
package org.peft4j.api.training;
