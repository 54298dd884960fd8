/**
 * Hyperparameters as plugins see them: declared with {@link org.peft4j.api.config.HyperParameter}
 * and read through the typed, read-only {@link org.peft4j.api.config.HyperParameters} view. No
 * configuration library type ever reaches a plugin.
 */
package org.peft4j.api.config;
