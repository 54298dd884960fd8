/**
 * AFLoRA (Liu et al., ACL 2024) as a peft4j plugin, in three independently replaceable
 * extensions: the {@code aflora} adapter ({@link org.peft4j.plugins.aflora.AfloraMethod}), the
 * {@code aflora-sensitivity} freezing score ({@link org.peft4j.plugins.aflora.AfloraSensitivityScorer})
 * and the {@code aflora-cubic} freezing schedule ({@link org.peft4j.plugins.aflora.AfloraCubicScheduler}),
 * plus two simple alternatives for ablations: the {@code weight-magnitude} scorer and the
 * {@code freeze-at-epoch} scheduler.
 */
package org.peft4j.plugins.aflora;
