/**
 * The contract test suite of PEFT method plugins, published in the runner's test jar
 * ({@code org.peft4j:peft4j-runner:<version>:test-jar}): extend
 * {@link org.peft4j.runner.contract.PeftMethodContract} in a plugin's tests, check it against a tiny
 * generated {@link org.peft4j.runner.contract.TinyEncoder}, and load a built plugin jar with
 * {@link org.peft4j.runner.contract.PluginMethods}.
 */
package org.peft4j.runner.contract;
