package io.rvi.agent.supervision;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh {@link SupervisionRig} for each test of a supervision IT, closed after it even when it fails
 * (after the subclass's own {@code @AfterEach}, before which its {@code @BeforeEach} already sees the rig).
 */
abstract class SupervisionITBase {
    SupervisionRig rig;

    @BeforeEach
    final void openRig() {
        rig = new SupervisionRig();
    }

    @AfterEach
    final void closeRig() {
        if (rig != null) {
            rig.close();
        }
    }
}
