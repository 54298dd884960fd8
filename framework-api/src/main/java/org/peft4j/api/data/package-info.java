/**
 * Labelled data: the {@link org.peft4j.api.data.DatasetProvider} extension point and the
 * {@link org.peft4j.api.data.Dataset} it loads.
 */
package org.peft4j.api.data;
