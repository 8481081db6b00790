package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.RoleConflict.Resolution.KEEP;
import static io.reactiveice.internal.agent.RoleConflict.Resolution.REJECT;
import static io.reactiveice.internal.agent.RoleConflict.Resolution.SWITCH;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import org.junit.jupiter.api.Test;

/** Role conflict resolution on a received check, RFC 8445 section 7.3.1.1, as a table. */
class RoleConflictTest {
    private static final long SMALL = 5;
    private static final long LARGE = 0x8000_0000_0000_0000L; // larger than SMALL only when compared unsigned

    @Test
    void aCheckThatDoesNotClaimOurRoleIsNoConflict() {
        assertThat(RoleConflict.resolve(IceRole.CONTROLLING, false, SMALL, false, LARGE)).isEqualTo(KEEP);
        assertThat(RoleConflict.resolve(IceRole.CONTROLLED, false, SMALL, false, LARGE)).isEqualTo(KEEP);
        assertThat(RoleConflict.resolve(IceRole.CONTROLLED, true, SMALL, false, LARGE)).isEqualTo(KEEP);
    }

    @Test
    void bothControllingTheLargerTieBreakerComparedUnsignedKeepsControl() {
        // section 7.3.1.1: ours >= theirs: answer 487; ours < theirs: switch to controlled
        assertThat(RoleConflict.resolve(IceRole.CONTROLLING, false, LARGE, true, SMALL)).isEqualTo(REJECT);
        assertThat(RoleConflict.resolve(IceRole.CONTROLLING, false, SMALL, true, LARGE)).isEqualTo(SWITCH);
        assertThat(RoleConflict.resolve(IceRole.CONTROLLING, false, SMALL, true, SMALL)).isEqualTo(REJECT);
    }

    @Test
    void bothControlledTheLargerTieBreakerComparedUnsignedTakesControl() {
        // section 7.3.1.1: ours >= theirs: switch to controlling; ours < theirs: answer 487
        assertThat(RoleConflict.resolve(IceRole.CONTROLLED, false, LARGE, true, SMALL)).isEqualTo(SWITCH);
        assertThat(RoleConflict.resolve(IceRole.CONTROLLED, false, SMALL, true, LARGE)).isEqualTo(REJECT);
        assertThat(RoleConflict.resolve(IceRole.CONTROLLED, false, SMALL, true, SMALL)).isEqualTo(SWITCH);
    }

    @Test
    void aLiteAgentNeverSwitchesAndRejectsAPeerThatAlsoClaimsControlled() {
        // section 6.1.1: a lite agent stays controlled; the full peer must take control
        assertThat(RoleConflict.resolve(IceRole.CONTROLLED, true, LARGE, true, SMALL)).isEqualTo(REJECT);
        assertThat(RoleConflict.resolve(IceRole.CONTROLLED, true, SMALL, true, LARGE)).isEqualTo(REJECT);
    }
}
