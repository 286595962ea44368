package io.firstline.console.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The install scripts without root: each parses as POSIX sh, and the agent
 * script, which travels alone ({@code curl ... | sh}), carries the unit and
 * the default configuration exactly as install/agent has them.
 */
class InstallScriptsTest {
    static final Path INSTALL = InstallSupport.REPO.resolve("install");

    @Test
    void everyScriptParsesAsPosixShell() throws Exception {
        for (String s : List.of("agent/install.sh", "console/install.sh", "console/firstline-console", "debian/build-debs.sh",
                "debian/agent/postinst", "debian/agent/prerm", "debian/agent/postrm", "debian/console/postinst",
                "debian/console/prerm", "debian/console/postrm")) {
            Path script = INSTALL.resolve(s);
            assertTrue(Files.isExecutable(script), s + " is not executable");
            InstallSupport.Run r = InstallSupport.run(List.of("sh", "-n", script.toString()), null, 30);
            assertEquals(0, r.exit(), s + ": " + r.both());
            assertTrue(Files.readString(script).startsWith("#!/bin/sh\n"), s + " should start with #!/bin/sh");
        }
    }

    @Test
    void theAgentScriptCarriesTheUnitAndConfigurationAsTheyAre() throws Exception {
        String script = Files.readString(INSTALL.resolve("agent/install.sh"));
        assertEquals(Files.readString(UnitHardeningTest.AGENT_UNIT), hereDocument(script, "UNIT"));
        assertEquals(Files.readString(INSTALL.resolve("agent/agent.conf")), hereDocument(script, "EOF"));
    }

    @Test
    void theTokenIsNeverTakenOnTheCommandLine() throws Exception {
        InstallSupport.Run r = InstallSupport.run(List.of("sh", INSTALL.resolve("agent/install.sh").toString(), "--token", "flt1_x"), null, 30);
        assertEquals(1, r.exit(), r.both());
        assertTrue(r.err().startsWith("install.sh: the token is never taken on the command line"), r.both());
        InstallSupport.Run bad = InstallSupport.run(List.of("sh", INSTALL.resolve("agent/install.sh").toString(), "--frobnicate"), null, 30);
        assertEquals(2, bad.exit(), bad.both());
    }

    /** The body of the first {@code <<'NAME'} here-document. */
    static String hereDocument(String script, String name) {
        String open = "<<'" + name + "'\n";
        int start = script.indexOf(open);
        assertTrue(start >= 0, "no here-document " + name);
        start += open.length();
        int end = script.indexOf("\n" + name + "\n", start - 1);
        return script.substring(start, end + 1);
    }
}
