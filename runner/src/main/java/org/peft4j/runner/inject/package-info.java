/**
 * Guice wiring: every discovered extension is bound into a {@code MapBinder} keyed by its id, so
 * that the strategies a config chooses are resolved by id and nothing else knows where they came
 * from. Modules do no I/O: discovery happens before the injector is created.
 */
package org.peft4j.runner.inject;
