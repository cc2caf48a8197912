package io.nativetls.internal.jsse;

import java.lang.reflect.Method;
import javax.net.ssl.SSLParameters;

/**
 * SSLParameters properties newer than Java 17: signature schemes (Java 19) and named groups
 * (Java 20). Reached by reflection so the provider still runs on 17, where they do not exist.
 */
final class NewerParameters {
    private static final Method GET_SIGNATURE_SCHEMES = method("getSignatureSchemes");
    private static final Method SET_SIGNATURE_SCHEMES = method("setSignatureSchemes", String[].class);
    private static final Method GET_NAMED_GROUPS = method("getNamedGroups");
    private static final Method SET_NAMED_GROUPS = method("setNamedGroups", String[].class);

    private NewerParameters() {}

    private static Method method(String name, Class<?>... types) {
        try {
            return SSLParameters.class.getMethod(name, types);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    static String[] signatureSchemes(SSLParameters p) {
        return get(GET_SIGNATURE_SCHEMES, p);
    }

    static void signatureSchemes(SSLParameters p, String[] schemes) {
        set(SET_SIGNATURE_SCHEMES, p, schemes);
    }

    static String[] namedGroups(SSLParameters p) {
        return get(GET_NAMED_GROUPS, p);
    }

    static void namedGroups(SSLParameters p, String[] groups) {
        set(SET_NAMED_GROUPS, p, groups);
    }

    private static String[] get(Method m, SSLParameters p) {
        if (m == null) {
            return null;
        }
        try {
            return (String[]) m.invoke(p);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("SSLParameters." + m.getName() + " failed", e);
        }
    }

    private static void set(Method m, SSLParameters p, String[] value) {
        if (m == null) {
            return;
        }
        try {
            m.invoke(p, (Object) value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("SSLParameters." + m.getName() + " failed", e);
        }
    }
}
