package org.peft4j.zoo.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceCacheTest {

    private static final String RESOURCE = "org/peft4j/zoo/models/cached.txt";

    @TempDir
    Path cache;

    @Test
    void extractsOnceAndReusesWhenTheSizeMatches() throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        Path first = ResourceCache.extract(RESOURCE, loader, cache.resolve("sub"));
        assertEquals(cache.resolve("sub/cached.txt"), first);
        assertEquals("a small resource for the cache test\n", Files.readString(first));
        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(first, old);
        ResourceCache.extract(RESOURCE, loader, cache.resolve("sub"));
        assertEquals(old, Files.getLastModifiedTime(first), "a file of the right size is reused, not rewritten");

        Files.writeString(first, "truncated");
        ResourceCache.extract(RESOURCE, loader, cache.resolve("sub"));
        assertEquals("a small resource for the cache test\n", Files.readString(first), "a file of another size is replaced");
        try (Stream<Path> files = Files.list(cache.resolve("sub"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void missingResourceIsNamed() {
        IOException e = assertThrows(IOException.class, () -> ResourceCache.extract("no/such.onnx", getClass().getClassLoader(), cache));
        assertTrue(e.getMessage().contains("no/such.onnx"), e.getMessage());
    }
}
