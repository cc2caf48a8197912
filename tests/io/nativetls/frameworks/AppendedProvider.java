package io.nativetls.frameworks;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class whose framework finds NativeTLS by provider name: registers it (appended, see
 * {@link FrameworkSupport#registerAppended}) before the class's first test.
 */
final class AppendedProvider implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        FrameworkSupport.registerAppended();
    }
}
