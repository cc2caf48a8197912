package io.nativetls.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Parameterized-test cases that are every combination of some values (a cross product). */
public final class Matrix {
    /** The protocols most tests run in, newest first. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** (first, second) implementations where NativeTLS is on at least one side. */
    public static final Object[] WITH_NATIVE = together(new Object[][] {
        {Contexts.Impl.NATIVE, Contexts.Impl.NATIVE}, {Contexts.Impl.NATIVE, Contexts.Impl.SUN},
        {Contexts.Impl.SUN, Contexts.Impl.NATIVE}});

    private Matrix() {}

    /** Values that stand in one axis together: each tuple adds all its elements to a case. */
    public static Object[] together(Object[][] tuples) {
        Object[] out = new Object[tuples.length];
        for (int i = 0; i < tuples.length; i++) {
            out[i] = new Together(tuples[i]);
        }
        return out;
    }

    private static final class Together {
        final Object[] values;

        Together(Object[] values) {
            this.values = values.clone();
        }
    }

    /** As {@link #of}, as a list. */
    public static List<Arguments> list(Object[]... axes) {
        return of(axes).collect(java.util.stream.Collectors.toList());
    }

    /**
     * Every combination of one value from each axis, the first axis varying slowest, as the nested
     * loops the tests wrote before would have listed them.
     */
    public static Stream<Arguments> of(Object[]... axes) {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[0]);
        for (Object[] axis : axes) {
            List<Object[]> next = new ArrayList<>();
            for (Object[] row : rows) {
                for (Object value : axis) {
                    Object[] add = value instanceof Together ? ((Together) value).values : new Object[] {value};
                    Object[] longer = java.util.Arrays.copyOf(row, row.length + add.length);
                    System.arraycopy(add, 0, longer, row.length, add.length);
                    next.add(longer);
                }
            }
            rows = next;
        }
        return rows.stream().map(Arguments::of);
    }
}
