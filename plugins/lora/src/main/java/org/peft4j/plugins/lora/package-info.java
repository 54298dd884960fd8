/**
 * LoRA (Hu et al. 2021) as a peft4j plugin: the {@code lora} {@link org.peft4j.api.method.PeftMethod}
 * adds {@code (alpha / r) · B A x} beside every targeted linear layer, with HF PEFT's targeting,
 * per-module rank and alpha overrides, rsLoRA scaling and input dropout.
 */
package org.peft4j.plugins.lora;
