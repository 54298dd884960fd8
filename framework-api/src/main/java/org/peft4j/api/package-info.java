/**
 * The peft4j framework API: the contract between the peft4j runner and its plugins.
 *
 * <p>Sub-packages hold one concern each: {@link org.peft4j.api.config} (typed, read-only
 * hyperparameters), {@link org.peft4j.api.graph} (the mutable model graph that adapters edit),
 * {@link org.peft4j.api.method} (PEFT methods), {@link org.peft4j.api.freeze} (scoring and
 * freezing schedules), {@link org.peft4j.api.model} and {@link org.peft4j.api.data} (models and
 * datasets), and {@link org.peft4j.api.training} (observers of training steps).
 *
 * <p>Every extension point extends {@link org.pf4j.ExtensionPoint}, is identified by a stable,
 * lower-case {@link org.peft4j.api.Identified#id() id} and declares the hyperparameters it
 * accepts, so that the runner can validate a configuration before any work starts.
 */
package org.peft4j.api;
