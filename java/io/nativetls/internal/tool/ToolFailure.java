package io.nativetls.internal.tool;

/** A command failed for a reason the user can act on: printed as one line, exit code 1. */
final class ToolFailure extends Exception {
    ToolFailure(String message) {
        super(message);
    }

    ToolFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
