/**
 * A small, defensive reader and writer of the safetensors format (an 8-byte little-endian header
 * length, a JSON header, then the raw tensor bytes), used for checkpoints.
 *
 * <p>Only {@code F32} and {@code I64} tensors are supported. The reader validates the header
 * length and every tensor's offsets against the file size before it reads or allocates any data,
 * so a truncated or hostile file is reported as a {@link org.peft4j.engine.safetensors.SafeTensorsException}
 * naming the file, never as a crash or a huge allocation.
 */
package org.peft4j.engine.safetensors;
