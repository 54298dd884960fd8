/**
 * The peft4j runner: plugin discovery ({@link org.peft4j.runner.plugins}), dependency wiring
 * ({@link org.peft4j.runner.inject}), comparison configs ({@link org.peft4j.runner.config}) and the
 * command line ({@link org.peft4j.runner.cli}). The training engine lives in {@code org.peft4j.engine}.
 */
package org.peft4j.runner;
