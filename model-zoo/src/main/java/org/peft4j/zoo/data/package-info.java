/**
 * Labelled datasets as {@link org.peft4j.api.data.DatasetProvider} extensions:
 * {@code sentiment-sentences} (bundled), {@code glue} (the user's GLUE directory), {@code csv} and
 * {@code jsonl} (the user's own files). Files are decoded as strict UTF-8; a malformed row is a
 * {@link org.peft4j.zoo.data.MalformedDataException} naming the file and line.
 */
package org.peft4j.zoo.data;
