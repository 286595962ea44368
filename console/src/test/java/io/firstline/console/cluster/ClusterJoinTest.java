package io.firstline.console.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.cli.CliSupport.UserError;
import io.firstline.console.Console;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.store.StoreSettings;
import io.firstline.console.store.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes on one PostgreSQL store: a node with another CA is refused with what to do; with the shared CA it joins. */
class ClusterJoinTest {
    @TempDir
    Path dir;

    private static ConsoleConfig node(Path data, StoreSettings store) {
        return ConsoleConfig.defaults(data).withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0)).withStore(store);
    }

    @Test
    void aNodeWithAnotherCaRefusesToJoinAndJoinsWithTheSharedOne() throws Exception {
        StoreSettings store = TestPostgres.freshSchema();
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        String fingerprint;
        try (Console first = Console.start(node(a, store))) {
            fingerprint = first.enrollment().caFingerprint();
            UserError refused = assertThrows(UserError.class, () -> Console.start(node(b, store)).close());
            assertTrue(refused.getMessage().contains("is not the CA of the other console nodes"), refused.getMessage());
            assertTrue(refused.getMessage().contains(fingerprint), refused.getMessage());
            assertTrue(refused.getMessage().contains("copy pki/ca.crt and pki/ca.key"), refused.getMessage());
            for (String f : new String[] {"ca.crt", "ca.key"}) {
                Files.copy(a.resolve("pki").resolve(f), b.resolve("pki").resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            try (Console second = Console.start(node(b, store))) {
                assertEquals(fingerprint, second.enrollment().caFingerprint());
                assertEquals(2, ClusterMembership.nodes(second.store()).size());
            }
        }
    }
}
