/**
 * PEFT methods: the {@link org.peft4j.api.method.PeftMethod} extension point and the
 * {@link org.peft4j.api.method.Adapter} it configures, which rewrites the linear layers of a model
 * graph and folds itself back into their weights.
 */
package org.peft4j.api.method;
