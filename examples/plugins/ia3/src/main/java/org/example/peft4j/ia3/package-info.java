/**
 * (IA)³ as a peft4j method plugin, built out of tree against the published framework API: the
 * worked example of the plugin developer's guide.
 */
package org.example.peft4j.ia3;
