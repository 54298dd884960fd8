/**
 * Plugin discovery with PF4J: plugin jars are loaded from the staged {@code plugins/} directory and
 * from every directory a user adds; system extensions (the model zoo, the runner's built-ins) come
 * from the classpath. Broken plugins are reported in one line each and never stop the others.
 */
package org.peft4j.runner.plugins;
