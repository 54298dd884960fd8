/**
 * ELoRA (Kopiczko, Blankevoort, Asano, ICLR 2024; published as VeRA) as a peft4j plugin: the
 * {@code elora} {@link org.peft4j.api.method.PeftMethod} adds {@code b ⊙ (B (d ⊙ (A x)))} beside
 * every targeted linear layer, with {@code A} and {@code B} random, frozen and shared by all layers,
 * and only the vectors {@code d} and {@code b} trained.
 */
package org.peft4j.plugins.elora;
