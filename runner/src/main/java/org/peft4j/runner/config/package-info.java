/**
 * Comparison configs: YAML files read with Apache Commons Configuration 2 (interpolation with
 * {@code ${env:X:-default}}, {@code -D} overrides), a {@code defaults} section merged under each
 * strategy, and validation of every key against the declarations of the chosen extensions.
 * The result is a {@link org.peft4j.runner.config.ComparisonPlan}; no configuration library type
 * leaves this package.
 */
package org.peft4j.runner.config;
