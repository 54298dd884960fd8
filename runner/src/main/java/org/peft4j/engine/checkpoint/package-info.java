/**
 * Training checkpoints: atomic, verified snapshots of a run (trainable and frozen parameter values,
 * optimizer moments, step, random state, frozen set, scorer state, history) in safetensors files
 * with a JSON manifest holding the SHA-256 of each file, and resuming from them.
 */
package org.peft4j.engine.checkpoint;
