/**
 * The results of a comparison, as plain records: what {@code results.json} holds (its schema is
 * documented in {@code docs/results-schema.md}) and what the reports are rendered from.
 */
package org.peft4j.runner.results;
