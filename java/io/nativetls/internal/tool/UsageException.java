package io.nativetls.internal.tool;

/** Bad command-line usage: the tool prints the message and the usage text and exits with 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
