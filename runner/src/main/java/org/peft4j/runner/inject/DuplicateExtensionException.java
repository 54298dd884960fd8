package org.peft4j.runner.inject;

/** Two extensions of one extension point share an id; the message names both origins. */
public final class DuplicateExtensionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param point the extension point's display word
     * @param id the shared id
     * @param first the origin of the first extension
     * @param second the origin of the second extension
     */
    public DuplicateExtensionException(String point, String id, String first, String second) {
        super("two " + point + " extensions have the id '" + id + "': one from " + first + ", one from " + second
                + "; remove or rename one of the plugins");
    }
}
