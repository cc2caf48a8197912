package io.nativetls.internal.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * JNI_OnLoad binds natives from its own table (RegisterNatives): an entry that matches no method
 * fails the load, and this test fails for a native declared in SslNative that the table lacks,
 * which would otherwise only fail when first called.
 */
class NativeRegistrationTest {
    @Test
    void theLibraryRegistersExactlyTheNativesSslNativeDeclares() {
        NativeLibrary.ensureLoaded();
        TreeSet<String> declared = new TreeSet<>();
        for (Method m : SslNative.class.getDeclaredMethods()) {
            if (Modifier.isNative(m.getModifiers())) {
                declared.add(m.getName() + " " + descriptor(m));
            }
        }
        assertFalse(declared.isEmpty());
        TreeSet<String> registered = new TreeSet<>(Arrays.asList(SslNative.registeredNatives()));
        assertEquals(declared, registered, "natives of SslNative vs. the library's registration table");
    }

    @Test
    void descriptorsAreWrittenAsJniWritesThem() throws NoSuchMethodException {
        // The comparison above is only as good as descriptor(): check it on known shapes.
        assertEquals("(JLio/nativetls/internal/jni/NativeCallbacks;IZ)I",
            descriptor(SslNative.class.getDeclaredMethod("refuseRecord", long.class, NativeCallbacks.class,
                int.class, boolean.class)));
        assertEquals("([[B[B)J", descriptor(SslNative.class.getDeclaredMethod("credentialNew", byte[][].class,
            byte[].class)));
        assertEquals("()[Ljava/lang/String;", descriptor(SslNative.class.getDeclaredMethod("registeredNatives")));
    }

    static String descriptor(Method m) {
        StringBuilder out = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) {
            out.append(type(p));
        }
        return out.append(')').append(type(m.getReturnType())).toString();
    }

    private static String type(Class<?> c) {
        if (c.isArray()) {
            return "[" + type(c.getComponentType());
        }
        if (c.isPrimitive()) {
            return c == void.class ? "V" : c == boolean.class ? "Z" : c == byte.class ? "B" : c == char.class ? "C"
                : c == short.class ? "S" : c == int.class ? "I" : c == long.class ? "J" : c == float.class ? "F" : "D";
        }
        return "L" + c.getName().replace('.', '/') + ";";
    }
}
