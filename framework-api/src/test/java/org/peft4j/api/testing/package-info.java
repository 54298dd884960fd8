/**
 * Test fixtures for plugin authors, shipped in the framework-api test-jar: a map-backed
 * {@link org.peft4j.api.config.HyperParameters}, an {@link org.peft4j.api.method.AdapterContext}
 * that records what an adapter registers, a small reference evaluator for rewritten graphs, and
 * builders of encoder-shaped linear layers.
 */
package org.peft4j.api.testing;
