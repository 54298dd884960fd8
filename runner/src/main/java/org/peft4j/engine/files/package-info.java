/**
 * File-system helpers shared by the engine and the runner: removal of directory trees (temporary
 * artifact and checkpoint directories, bench work directories, replaced trained runs).
 */
package org.peft4j.engine.files;
