/** Extensions the runner contributes itself, such as the head-only baseline. */
package org.peft4j.runner.builtin;
