/**
 * The {@code peft4j} command line (picocli). Exit codes: 0 success, 1 a run failed, 2 a usage or
 * configuration error.
 */
package org.peft4j.runner.cli;
