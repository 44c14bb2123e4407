package dev.sluice.observe;

import dev.sluice.internal.observe.TimedJobStore;
import dev.sluice.store.JobStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimedJobStoreTest {

    /**
     * A JobStore method the timing wrapper does not override would run the interface's default on the wrapper
     * instead of the store's own implementation: every SPI method, defaults included, must be delegated.
     */
    @Test
    void everyStoreMethodIsDelegated() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Method m : JobStore.class.getMethods()) {
            if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                Method own = TimedJobStore.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                assertThat(own.getDeclaringClass()).isEqualTo(TimedJobStore.class);
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertThat(missing).as("JobStore methods TimedJobStore does not delegate").isEmpty();
    }
}
