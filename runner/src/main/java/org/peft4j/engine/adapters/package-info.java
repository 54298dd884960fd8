/**
 * Installing a PEFT method's adapter into a model graph: the engine's
 * {@link org.peft4j.api.method.AdapterContext} and the installer that drives an
 * {@link org.peft4j.api.method.Adapter} through target selection, preparation and rewriting.
 */
package org.peft4j.engine.adapters;
